package rules

import (
	"strings"

	"github.com/authlint/authlint/internal/nginxmodel"
)

// policyProbe is one URI a policy glob covers and what nginx does with it.
type policyProbe struct {
	uri   string
	glob  string
	steps []nginxmodel.Step // the request and, for directory URIs, an index redirect needing auth
}

// nginxPolicyProbes follows GET for every URI worth testing on a server
// (from the globs themselves and from the server's locations: prefixes,
// regex literals, probes under each glob's static prefix) that one of the
// globs covers. Each URI is reported at most once.
func nginxPolicyProbes(s *nginxmodel.Server, globs []string) []policyProbe {
	uris := globProbes(globs)
	for _, g := range globs {
		static := g
		if i := strings.IndexAny(g, "*?[{"); i >= 0 {
			static = g[:i]
		}
		uris = append(uris, s.ProbesUnderPrefix(static)...)
	}
	for _, l := range s.AllLocations() {
		uris = append(uris, l.SampleURIs()...)
		uris = append(uris, l.ProbesUnder()...)
	}
	var out []policyProbe
	seen := map[string]bool{}
	for _, u := range uris {
		if seen[u] || !strings.HasPrefix(u, "/") {
			continue
		}
		seen[u] = true
		g, ok := matchAny(globs, u)
		if !ok {
			continue
		}
		out = append(out, policyProbe{uri: u, glob: g, steps: s.Request("GET", u)})
	}
	return out
}

// authStep returns the step of a request (including index redirects for
// directory URIs) that asks for credentials, or nil.
func authStep(s *nginxmodel.Server, uri string, steps []nginxmodel.Step) *nginxmodel.Step {
	for i := range steps {
		if steps[i].NeedsAuth() {
			return &steps[i]
		}
	}
	if steps[0].Return != nil || steps[0].Open != nil {
		return nil
	}
	for _, idx := range s.IndexSteps("GET", uri) {
		for i := range idx {
			if idx[i].NeedsAuth() {
				return &idx[i]
			}
		}
	}
	return nil
}
