package web

import "slices"

// inputField describes one text input of a form for the "input" partial.
type inputField struct {
	Name, Label, Type, Hint, Autocomplete string
	Optional                              bool
}

// selectField describes a select for the "select" partial.
type selectField struct {
	Name, Label string
	Options     []option
	Multiple    bool
}

// option is one choice of a select.
type option struct{ Value, Label string }

func inputOf(name, label, typ, hint, autocomplete string, optional bool) inputField {
	return inputField{Name: name, Label: label, Type: typ, Hint: hint, Autocomplete: autocomplete, Optional: optional}
}

func selectOf(name, label string, options []option, multiple bool) selectField {
	return selectField{Name: name, Label: label, Options: options, Multiple: multiple}
}

func countryOptions(ref *reference) []option {
	out := make([]option, len(ref.Countries))
	for i, c := range ref.Countries {
		out[i] = option{c.Code, c.Name}
	}
	return out
}

func categoryOptions(ref *reference) []option {
	out := make([]option, len(ref.Categories))
	for i, c := range ref.Categories {
		out[i] = option{c.Slug, c.Name}
	}
	return out
}

func schemeOptions(ref *reference) []option {
	var out []option
	for _, s := range ref.Schemes {
		if s.Status == "active" {
			out = append(out, option{s.ID, s.Name})
		}
	}
	return out
}

func sizeOptions(v *view) []option {
	return []option{
		{"micro", v.T("Micro (fewer than 10 staff)")}, {"small", v.T("Small (fewer than 50 staff)")},
		{"medium", v.T("Medium (fewer than 250 staff)")}, {"large", v.T("Large")},
	}
}

func deliveryOptions(v *view) []option {
	return []option{{"remote", v.T("Remote")}, {"on-site", v.T("On site")}, {"hybrid", v.T("Hybrid")}}
}

// supportLanguages are the languages vendors support, each named in itself.
var supportLanguages = []option{
	{"bg", "български"}, {"cs", "čeština"}, {"da", "dansk"}, {"de", "Deutsch"}, {"el", "ελληνικά"}, {"en", "English"},
	{"es", "español"}, {"et", "eesti"}, {"fi", "suomi"}, {"fr", "français"}, {"ga", "Gaeilge"}, {"hr", "hrvatski"},
	{"hu", "magyar"}, {"is", "íslenska"}, {"it", "italiano"}, {"lt", "lietuvių"}, {"lv", "latviešu"}, {"mt", "Malti"},
	{"nl", "Nederlands"}, {"no", "norsk"}, {"pl", "polski"}, {"pt", "português"}, {"ro", "română"}, {"sk", "slovenčina"},
	{"sl", "slovenščina"}, {"sv", "svenska"},
}

// supportLanguageNames maps the codes of supportLanguages to their names.
var supportLanguageNames = func() map[string]string {
	m := make(map[string]string, len(supportLanguages))
	for _, o := range supportLanguages {
		m[o.Value] = o.Label
	}
	return m
}()

// languageOptions are the choices of a support-language select (a copy).
func languageOptions() []option { return slices.Clone(supportLanguages) }
