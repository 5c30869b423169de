package search

import "encoding/json"

// RequestBody returns the JSON body the index sends to Meilisearch for q, so
// that benchmarks can send the very same request straight to Meilisearch.
func RequestBody(q Query) ([]byte, error) { return json.Marshal(q.request()) }
