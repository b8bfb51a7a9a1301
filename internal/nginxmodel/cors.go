package nginxmodel

import "strings"

// CORSEnabled is the catalog's corsEnabled(scope) for nginx: an
// Access-Control-Allow-* header is added (add_header after all-or-nothing
// inheritance, or headers-more's more_set_headers), or the scope uses
// $http_origin anywhere.
func (sc *Scope) CORSEnabled() bool {
	for _, d := range sc.Effective("add_header") {
		if strings.HasPrefix(strings.ToLower(d.Arg(0)), "access-control-allow-") {
			return true
		}
	}
	for _, d := range sc.Effective("more_set_headers") {
		for _, v := range d.Values() {
			if strings.HasPrefix(strings.ToLower(v), "access-control-allow-") {
				return true
			}
		}
	}
	for _, l := range sc.Levels {
		if l.Kind == "http" {
			continue // a map on $http_origin at http level is not use by this scope
		}
		for _, d := range l.Directives {
			if strings.Contains(d.Text(), "$http_origin") {
				return true
			}
		}
	}
	return false
}

// AllowsAuthorizationHeader reports an Access-Control-Allow-Headers in
// effect that lists Authorization: the browser is told to send it.
func (sc *Scope) AllowsAuthorizationHeader() bool {
	for _, d := range sc.Effective("add_header") {
		if strings.EqualFold(d.Arg(0), "Access-Control-Allow-Headers") &&
			strings.Contains(strings.ToLower(d.Arg(1)), "authorization") {
			return true
		}
	}
	return false
}
