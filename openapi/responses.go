package openapi

import (
	"net/http"
	"reflect"
	"strconv"

	"github.com/danielgtaylor/huma/v2"
)

// commonErrors are the statuses every operation may answer, whatever it
// declares itself: the authenticate middleware runs before each one, public
// operations and health checks included. 401: a key was sent that does not
// authenticate. 429: a rate limit was reached.
var commonErrors = []int{http.StatusUnauthorized, http.StatusTooManyRequests}

// declareCommonErrors publishes commonErrors on every operation that does
// not declare them yet, in the form huma gives declared errors.
func declareCommonErrors(api huma.API) {
	oapi := api.OpenAPI()
	problem := oapi.Components.Schemas.Schema(reflect.TypeFor[huma.ErrorModel](), true, "Error")
	for _, item := range oapi.Paths {
		for _, op := range []*huma.Operation{item.Get, item.Head, item.Post, item.Put, item.Patch, item.Delete} {
			if op == nil {
				continue
			}
			for _, status := range commonErrors {
				code := strconv.Itoa(status)
				if op.Responses[code] != nil {
					continue
				}
				op.Responses[code] = &huma.Response{
					Description: http.StatusText(status),
					Content:     map[string]*huma.MediaType{"application/problem+json": {Schema: problem}},
				}
			}
		}
	}
}
