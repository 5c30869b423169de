// Package web is cybermarket's web interface for hospital buyers, vendors,
// policymakers and staff: server-rendered html/template pages, enhanced by
// htmx where a browser runs scripts, and working without them.
//
// The interface has no path to the database: every page calls the API's
// operations in-process (the http.Handler of openapi.New) with requests that
// carry the signed-in user's API key, and decodes the JSON answers. Access
// rules, validation messages, visibility and errors are the API's.
package web
