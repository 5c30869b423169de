package openapi

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/danielgtaylor/huma/v2"
)

// Input sanitation: one rule at the edge for bodies, paths, queries and
// headers. Text must be valid UTF-8 without NUL characters; JSON must not
// escape a lone UTF-16 surrogate ("\ud800"). Such input is rejected with 422
// naming the field, never rewritten: what the server stores is what the
// client sent, or nothing. JSON objects are also bounded in size and depth,
// so that what the decoder and huma's validation build stays small.

// Bounds of a JSON body beyond its size in bytes.
const (
	// maxObjectKeys is the most properties one JSON object may have. No
	// object of the API has more than a few dozen (a text per EU language).
	maxObjectKeys = 1000
	// maxJSONDepth is the deepest nesting of objects and lists accepted.
	maxJSONDepth = 32
)

// Reasons for rejecting text, as problem messages.
const (
	msgNUL       = "must not contain the NUL character (U+0000)"
	msgUTF8      = "must be valid UTF-8"
	msgSurrogate = `must not contain an unpaired UTF-16 surrogate escape (\ud800-\udfff)`
)

// textFault returns why s is not acceptable text, or "".
func textFault(s string) string {
	switch {
	case strings.IndexByte(s, 0) >= 0:
		return msgNUL
	case !utf8.ValidString(s):
		return msgUTF8
	}
	return ""
}

// scanJSON returns the first fault of a JSON body (NUL, invalid UTF-8, a
// lone surrogate, too many properties, too deep), with the location of the
// field, or nil. It does not judge syntax: a body it cannot parse is left
// to the decoder, which reports syntax errors itself. It runs in linear time
// and allocates only for the path of the field it reports.
func scanJSON(data []byte) *huma.ErrorDetail {
	s := &jsonScanner{data: data}
	s.value(0)
	return s.fault
}

type jsonScanner struct {
	data  []byte
	pos   int
	path  []string // ".name" and "[index]" segments of the current value
	fault *huma.ErrorDetail
	bad   bool // a syntax error or a fault: stop
}

func (s *jsonScanner) fail(msg, segment string) {
	if s.bad {
		return
	}
	s.bad = true
	s.fault = &huma.ErrorDetail{Location: "body" + strings.Join(s.path, "") + segment, Message: msg}
}

func (s *jsonScanner) syntax() { s.bad = true }

func (s *jsonScanner) space() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// value scans one JSON value at depth.
func (s *jsonScanner) value(depth int) {
	s.space()
	if s.bad || s.pos >= len(s.data) {
		s.syntax()
		return
	}
	if depth > maxJSONDepth {
		s.fail("nests objects and lists more than "+strconv.Itoa(maxJSONDepth)+" deep", "")
		return
	}
	switch s.data[s.pos] {
	case '{':
		s.object(depth)
	case '[':
		s.list(depth)
	case '"':
		s.str()
	default: // number, true, false, null: let the decoder judge
		for s.pos < len(s.data) && strings.IndexByte(",]} \t\r\n", s.data[s.pos]) < 0 {
			s.pos++
		}
	}
}

func (s *jsonScanner) object(depth int) {
	s.pos++ // {
	for n := 0; !s.bad; n++ {
		s.space()
		if s.pos < len(s.data) && s.data[s.pos] == '}' && n == 0 {
			s.pos++
			return
		}
		if n == maxObjectKeys {
			s.fail("has more than "+strconv.Itoa(maxObjectKeys)+" properties", "")
			return
		}
		if s.pos >= len(s.data) || s.data[s.pos] != '"' {
			s.syntax()
			return
		}
		start := s.pos + 1
		if msg := s.str(); msg != "" {
			s.bad = false
			s.fail("property name "+msg, "."+rawString(s.data[start:]))
			return
		}
		if s.bad { // unterminated: a syntax error
			return
		}
		s.path = append(s.path, "."+string(s.data[start:s.pos-1]))
		s.space()
		if s.pos >= len(s.data) || s.data[s.pos] != ':' {
			s.syntax()
			return
		}
		s.pos++
		s.value(depth + 1)
		s.path = s.path[:len(s.path)-1]
		if !s.next('}') {
			return
		}
	}
}

func (s *jsonScanner) list(depth int) {
	s.pos++ // [
	for i := 0; !s.bad; i++ {
		s.space()
		if s.pos < len(s.data) && s.data[s.pos] == ']' && i == 0 {
			s.pos++
			return
		}
		s.path = append(s.path, "["+strconv.Itoa(i)+"]")
		s.value(depth + 1)
		s.path = s.path[:len(s.path)-1]
		if !s.next(']') {
			return
		}
	}
}

// next consumes a comma (true: another member follows) or the closing
// bracket (false).
func (s *jsonScanner) next(closing byte) bool {
	s.space()
	if s.bad || s.pos >= len(s.data) {
		s.syntax()
		return false
	}
	switch s.data[s.pos] {
	case ',':
		s.pos++
		return true
	case closing:
		s.pos++
		return false
	}
	s.syntax()
	return false
}

// str scans a string from its opening quote past its closing one. For a
// value it records a fault itself; it returns the fault's message so that a
// property name can be reported by its own location.
func (s *jsonScanner) str() string {
	s.pos++ // "
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		switch {
		case c == '"':
			s.pos++
			return ""
		case c == '\\':
			if msg := s.escape(); msg != "" {
				s.fail(msg, "")
				return msg
			}
		case c == 0:
			s.fail(msgNUL, "")
			return msgNUL
		case c < utf8.RuneSelf:
			s.pos++
		default:
			r, size := utf8.DecodeRune(s.data[s.pos:])
			if r == utf8.RuneError && size == 1 {
				s.fail(msgUTF8, "")
				return msgUTF8
			}
			s.pos += size
		}
		if s.bad {
			return ""
		}
	}
	s.syntax()
	return ""
}

// escape scans a backslash escape; it returns a fault's message or "".
func (s *jsonScanner) escape() string {
	if s.pos+1 >= len(s.data) {
		s.syntax()
		return ""
	}
	if s.data[s.pos+1] != 'u' {
		s.pos += 2
		return ""
	}
	r, ok := s.hex(s.pos + 2)
	if !ok {
		s.syntax()
		return ""
	}
	s.pos += 6
	switch {
	case r == 0:
		return msgNUL
	case r >= 0xDC00 && r <= 0xDFFF:
		return msgSurrogate
	case r >= 0xD800 && r <= 0xDBFF:
		if s.pos+1 < len(s.data) && s.data[s.pos] == '\\' && s.data[s.pos+1] == 'u' {
			if low, ok := s.hex(s.pos + 2); ok && low >= 0xDC00 && low <= 0xDFFF {
				s.pos += 6
				return ""
			}
		}
		return msgSurrogate
	}
	return ""
}

// rawString returns the text of a JSON string up to its closing quote (or
// the end of data), escapes left as they are.
func rawString(data []byte) string {
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '\\':
			i++
		case '"':
			return string(data[:i])
		}
	}
	return string(data)
}

// hex reads the four hex digits at i.
func (s *jsonScanner) hex(i int) (rune, bool) {
	if i+4 > len(s.data) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(s.data[i:i+4]), 16, 32)
	return rune(n), err == nil
}

// checkParams is the huma middleware that applies the text rule to the
// operation's path, query and header parameters before anything reads them.
func checkParams(api huma.API) func(huma.Context, func(huma.Context)) {
	return func(hctx huma.Context, next func(huma.Context)) {
		if d := paramFault(hctx); d != nil {
			_ = huma.WriteErr(api, hctx, 422, "A parameter is not acceptable text.", d)
			return
		}
		next(hctx)
	}
}

// paramFault returns the first parameter of the request that breaks the
// text rule, or nil. Parameters the operation does not declare are ignored
// (nothing reads them).
func paramFault(hctx huma.Context) *huma.ErrorDetail {
	op := hctx.Operation()
	if op == nil {
		return nil
	}
	var query map[string][]string
	for _, p := range op.Parameters {
		var values []string
		switch p.In {
		case "path":
			values = []string{hctx.Param(p.Name)}
		case "query":
			if query == nil {
				u := hctx.URL()
				query = u.Query()
			}
			values = query[p.Name]
		case "header":
			values = []string{hctx.Header(p.Name)}
		}
		for _, v := range values {
			if msg := textFault(v); msg != "" {
				return &huma.ErrorDetail{Location: p.In + "." + p.Name, Message: msg}
			}
		}
	}
	return nil
}
