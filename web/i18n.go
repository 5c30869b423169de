package web

import (
	"net/http"
	"slices"
	"sort"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// Languages of the interface, the first the fallback. The text of the
// interface is English in the templates; translations.go gives the French
// and German, loaded into a golang.org/x/text message catalogue.
var languages = []language.Tag{language.English, language.French, language.German}

// langCookie remembers the language a user chose with the switch.
const langCookie = "cm_lang"

var (
	matcher  = language.NewMatcher(languages)
	messages = buildCatalog()
)

func buildCatalog() catalog.Catalog {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	for key, tr := range translations {
		_ = b.SetString(language.English, key, key)
		_ = b.SetString(language.French, key, tr.fr)
		_ = b.SetString(language.German, key, tr.de)
	}
	return b
}

// chooseLanguage picks the interface language: ?lang= (which also sets the
// cookie), then the cookie, then Accept-Language, then English.
func chooseLanguage(w http.ResponseWriter, r *http.Request) language.Tag {
	if l := r.URL.Query().Get("lang"); l != "" {
		if tag, ok := supported(l); ok {
			http.SetCookie(w, &http.Cookie{Name: langCookie, Value: tag.String(), Path: "/", MaxAge: 365 * 24 * 3600,
				HttpOnly: true, Secure: overTLS(r), SameSite: http.SameSiteLaxMode})
			return tag
		}
	}
	if c, err := r.Cookie(langCookie); err == nil {
		if tag, ok := supported(c.Value); ok {
			return tag
		}
	}
	tags, _, _ := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return language.English
	}
	return languages[i]
}

// supported returns the interface language named s exactly (en, fr, de).
func supported(s string) (language.Tag, bool) {
	for _, t := range languages {
		if t.String() == s {
			return t, true
		}
	}
	return language.Und, false
}

// printers are the message printers of the interface languages (a
// Printer holds no state between calls: one per language serves every
// request).
var printers = func() map[language.Tag]*message.Printer {
	m := map[language.Tag]*message.Printer{}
	for _, t := range languages {
		m[t] = message.NewPrinter(t, message.Catalog(messages))
	}
	return m
}()

// printer translates for one language.
func printer(tag language.Tag) *message.Printer {
	if p, ok := printers[tag]; ok {
		return p
	}
	return message.NewPrinter(tag, message.Catalog(messages))
}

// plainTexts are the translations of texts without formatting verbs, per
// language: most texts of a page, looked up without the printer's
// formatting.
var plainTexts = func() map[string]map[string]string {
	m := map[string]map[string]string{"fr": {}, "de": {}}
	for key, tr := range translations {
		if !strings.Contains(key, "%") {
			m["fr"][key], m["de"][key] = tr.fr, tr.de
		}
	}
	return m
}()

// localized picks the text of a language map (offering summaries and
// descriptions, written by vendors) in the user's language, else English,
// else the first language in code order. It reports the language chosen,
// so the page can mark it with lang=.
func localized(texts map[string]string, lang string) (text, in string) {
	if t, ok := texts[lang]; ok && t != "" {
		return t, lang
	}
	if t, ok := texts["en"]; ok && t != "" {
		return t, "en"
	}
	keys := make([]string, 0, len(texts))
	for k := range texts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if texts[k] != "" {
			return texts[k], k
		}
	}
	return "", lang
}

// languageNames are the names of the interface languages in themselves, for
// the switch.
var languageNames = map[string]string{"en": "English", "fr": "Français", "de": "Deutsch"}

// interfaceLanguages lists the codes of the switch in order.
func interfaceLanguages() []string {
	out := make([]string, len(languages))
	for i, t := range languages {
		out[i] = t.String()
	}
	return slices.Clip(out)
}
