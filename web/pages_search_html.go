package web

import (
	"html"
	"html/template"
	"strconv"
	"strings"
)

// The long repeated parts of the search page, its country options and
// facet checkboxes (about a hundred controls), are written here rather
// than by the template: html/template calls its escapers through
// reflection for every action, which made these lists most of the page's
// rendering time. Every value is escaped with html.EscapeString, which is
// safe in element content and in quoted attribute values, the only places
// these values go.

// countryOptionsHTML are the <option>s of the country select, selected the
// one chosen ("": none).
func countryOptionsHTML(ref *reference, selected string) template.HTML {
	var b strings.Builder
	b.Grow(len(ref.Countries) * 48)
	for _, c := range ref.Countries {
		b.WriteString(`<option value="`)
		b.WriteString(html.EscapeString(c.Code))
		b.WriteByte('"')
		if c.Code == selected {
			b.WriteString(" selected")
		}
		b.WriteByte('>')
		b.WriteString(html.EscapeString(c.Name))
		b.WriteString("</option>")
	}
	return template.HTML(b.String()) //nolint:gosec // every value escaped above
}

// checkboxesHTML are the facet's checkboxes, each labelled with its value's
// name and count.
func (f facet) checkboxesHTML() template.HTML {
	var b strings.Builder
	b.Grow(len(f.Values) * 200)
	name := html.EscapeString(f.Name)
	for _, fv := range f.Values {
		val := html.EscapeString(fv.Value)
		id := "f-" + name + "-" + val
		b.WriteString(`<span class="check"><input type="checkbox" id="` + id + `" name="` + name + `" value="` + val + `"`)
		if fv.Checked {
			b.WriteString(" checked")
		}
		b.WriteString(`> <label for="` + id + `">` + html.EscapeString(fv.Label) + ` <span class="count">(`)
		b.WriteString(strconv.FormatInt(fv.Count, 10))
		b.WriteString(")</span></label></span>\n")
	}
	return template.HTML(b.String()) //nolint:gosec // every value escaped above
}
