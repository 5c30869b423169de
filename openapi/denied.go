package openapi

// denied is a refusal of what the caller asked, giving the reason: the
// caller is known, but may not do this (403). newError maps it.
type denied string

func (d denied) Error() string { return string(d) }
