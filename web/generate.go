// Package web holds the site's HTML views (templ components) and the small
// view models they take. Views receive plain values, never a request, so
// every page can be rendered ahead of time or tested without a server.
package web

//go:generate go tool templ generate -path ..
