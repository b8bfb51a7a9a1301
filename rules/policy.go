package rules

import (
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// Policy is the URL policy of .authlint.yaml: URL-path globs (doublestar)
// that must stay public and ones that must require auth, globally and per
// server name.
type Policy struct {
	Public    []string           `yaml:"public"`
	Protected []string           `yaml:"protected"`
	Servers   map[string]*Policy `yaml:"servers"`
}

// Empty reports a missing or empty policy.
func (p *Policy) Empty() bool {
	if p == nil {
		return true
	}
	if len(p.Public)+len(p.Protected) > 0 {
		return false
	}
	for _, sp := range p.Servers {
		if !sp.Empty() {
			return false
		}
	}
	return true
}

// defersToPolicy lists rules that a policy replaces: with a policy the
// user has said which paths are public, so site-wide auth is no longer a
// guess about intent.
var defersToPolicy = map[string]bool{"site-wide-auth": true}

// For returns the globs in force for a server with these names: the global
// lists plus those of every matching server entry.
func (p *Policy) For(names []string) (public, protected []string) {
	if p == nil {
		return nil, nil
	}
	public = append(public, p.Public...)
	protected = append(protected, p.Protected...)
	for _, n := range names {
		if sp := p.Servers[n]; sp != nil {
			public = append(public, sp.Public...)
			protected = append(protected, sp.Protected...)
		}
	}
	return public, protected
}

// matchAny returns the first glob that matches uri.
func matchAny(globs []string, uri string) (string, bool) {
	for _, g := range globs {
		if ok, _ := doublestar.Match(g, uri); ok {
			return g, true
		}
		// "/admin/**" should also cover "/admin" itself.
		if base, ok := strings.CutSuffix(g, "/**"); ok && uri == base {
			return g, true
		}
	}
	return "", false
}

// globProbes gives sample URIs for globs: the static part, and the glob
// with its wildcards filled in.
func globProbes(globs []string) []string {
	var out []string
	for _, g := range globs {
		static := g
		if i := strings.IndexAny(g, "*?[{"); i >= 0 {
			static = g[:i]
		}
		filled := strings.NewReplacer("**", "x/y", "*", "x", "?", "x").Replace(g)
		out = append(out, static, filled)
	}
	return out
}
