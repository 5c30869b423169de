package search

import (
	"slices"
	"strings"

	"github.com/meilisearch/meilisearch-go"
)

// Settings returns the index settings. They are code: Index.EnsureSettings
// applies them at start when the index differs, and Reindex builds every new
// index with them.
func Settings() *meilisearch.Settings {
	return &meilisearch.Settings{
		// Matching all query words first; then, when the caller asked for a
		// sort, that order (so "sort by name" is an order, not a tie-break);
		// then the usual relevance rules.
		RankingRules: []string{"words", "sort", "typo", "proximity", "attribute", "exactness"},
		// Most telling first: the attribute rule ranks a match in the name
		// above one in the description.
		SearchableAttributes: []string{
			"name", "vendor_name", "vendor_trading_name", "category_name", "summary", "schemes",
			"cpv_codes", "description",
		},
		FilterableAttributes: slices.Sorted(slices.Values(filterable)),
		SortableAttributes:   []string{"gap_cost.private", "gap_cost.public", "name", "updated_at"},
		DisplayedAttributes:  []string{"*"},
		Synonyms:             Synonyms(),
		TypoTolerance: &meilisearch.TypoTolerance{
			Enabled: true,
			// The defaults: no typo under 5 letters (SOC, MDR, IR, ISO stay
			// exact), one up to 8, two from 9.
			MinWordSizeForTypos: meilisearch.MinWordSizeForTypos{OneTypo: 5, TwoTypos: 9},
			// ISO/IEC 27001 is not 27017, and CPV codes are exact.
			DisableOnNumbers:    true,
			DisableOnAttributes: []string{"cpv_codes", "schemes"},
			DisableOnWords:      []string{},
		},
		Faceting: &meilisearch.Faceting{
			MaxValuesPerFacet: maxValuesPerFacet,
			// Facet values by count, most common first.
			SortFacetValuesBy: map[string]meilisearch.SortFacetType{"*": meilisearch.SortFacetTypeCount},
		},
		// Pages reach this deep, and Meilisearch's own totals count this far
		// (Search counts further: see countTotal).
		Pagination: &meilisearch.Pagination{MaxTotalHits: MaxTotalHits},
	}
}

// settings are Settings with the index's paging limit.
func (ix *Index) settings() *meilisearch.Settings {
	s := Settings()
	s.Pagination.MaxTotalHits = ix.maxTotalHits
	return s
}

// MaxTotalHits is how many hits a search can page through (offset plus
// limit): Meilisearch returns none beyond. Raising it slows every search
// that matches many documents.
const MaxTotalHits = 10000

// maxValuesPerFacet is how many values a facet count lists.
const maxValuesPerFacet = 100

// filterable are the attributes searches filter and facet on, and those the
// drift check asks about (stale, rules).
var filterable = []string{
	"category", "countries", "delivery", "eligible_private", "eligible_private_verified",
	"eligible_public", "eligible_public_verified", "languages", "met", "met_verified", "rules", "schemes", "stale",
	"vendor_country", "vendor_id", "vendor_size",
}

// synonymGroups are sets of equivalent search terms: any of them finds
// documents that say another. Multi-word terms match as phrases. The main EU
// languages are covered for the service categories buyers search most.
var synonymGroups = [][]string{
	// Penetration testing.
	{
		"pentest", "pentests", "pen test", "pentesting", "penetration test", "penetration tests",
		"penetration testing", "penetrationstest", "penetrationstests", "test d'intrusion",
		"tests d'intrusion", "prueba de penetración", "pruebas de penetración", "test de intrusión",
		"test di penetrazione", "penetratietest", "test penetracyjny", "testy penetracyjne",
		"teste de intrusão", "teste de penetração", "penetrační test", "tunkeutumistestaus",
	},
	// Security operations centre and managed detection and response.
	{
		"soc", "mdr", "managed detection", "managed detection and response",
		"security operations center", "security operations centre", "soc as a service",
		"centre opérationnel de sécurité", "centre des opérations de sécurité",
		"détection et réponse managées", "centro de operaciones de seguridad",
		"detección y respuesta gestionadas", "centro operativo di sicurezza",
		"centrum operacji bezpieczeństwa", "centro de operações de segurança",
	},
	// Incident response and digital forensics.
	{
		"ir", "dfir", "incident response", "digital forensics and incident response",
		"incident-response", "vorfallsreaktion", "réponse aux incidents", "réponse à incident",
		"respuesta a incidentes", "risposta agli incidenti", "incidentrespons",
		"reagowanie na incydenty", "resposta a incidentes", "incidenthantering",
	},
	// Security audits.
	{
		"security audit", "sicherheitsaudit", "audit de sécurité", "auditoría de seguridad",
		"audit di sicurezza", "beveiligingsaudit", "audyt bezpieczeństwa", "auditoria de segurança",
	},
	// Awareness training.
	{
		"security awareness", "awareness training", "security awareness training",
		"sicherheitsschulung", "sensibilisation à la sécurité", "formation à la cybersécurité",
		"concienciación en ciberseguridad", "formazione sulla sicurezza", "bewustwordingstraining",
	},
	// Identity and access management.
	{
		"iam", "identity and access management", "gestion des identités et des accès",
		"gestión de identidades y accesos", "gestione delle identità e degli accessi",
	},
	// Managed security services.
	{"mssp", "managed security services", "managed security service provider"},
	// Information security management system.
	{"isms", "information security management system", "informationssicherheitsmanagementsystem"},
	// Health data hosting.
	{"hds", "health data hosting", "hébergement de données de santé"},
	// Outsourced CISO.
	{"vciso", "virtual ciso", "ciso as a service"},
	// NIS2, written apart or together.
	{"nis2", "nis 2"},
}

// Synonyms returns the synonym map of the index: every term of a group maps
// to every other term of it.
func Synonyms() map[string][]string {
	out := map[string][]string{}
	for _, group := range synonymGroups {
		for _, term := range group {
			term = strings.ToLower(term)
			for _, other := range group {
				if other = strings.ToLower(other); other != term && !slices.Contains(out[term], other) {
					out[term] = append(out[term], other)
				}
			}
		}
	}
	return out
}
