package rules

import (
	"strings"

	"github.com/authlint/authlint/internal/apachemodel"
)

// apachePolicyProbes lists the URLs worth testing on an Apache server
// that one of the globs covers: the globs filled in, the server's own
// sample URLs (sections, aliases, document root), and probes under each
// glob's static prefix.
func apachePolicyProbes(s *apachemodel.Server, globs []string) []policyURL {
	urls := globProbes(globs)
	for _, g := range globs {
		static := g
		if i := strings.IndexAny(g, "*?[{"); i >= 0 {
			static = g[:i]
		}
		dir := strings.TrimSuffix(static, "/") + "/"
		urls = append(urls, dir, dir+"x", dir+"x/", dir+"index.html", dir+"x.php")
	}
	urls = append(urls, s.SampleURLs()...)
	var out []policyURL
	seen := map[string]bool{}
	for _, u := range urls {
		if seen[u] || !strings.HasPrefix(u, "/") {
			continue
		}
		seen[u] = true
		if g, ok := matchAny(globs, u); ok {
			out = append(out, policyURL{uri: u, glob: g})
		}
	}
	return out
}

// policyURL is a URL and the policy glob that covers it.
type policyURL struct {
	uri  string
	glob string
}

// apacheAsksForUser is apacheNeedsUser(url, GET), including the
// DirectoryIndex subrequest of a directory URL, which mod_dir checks again.
func apacheAsksForUser(s *apachemodel.Server, url string) (*apachemodel.Decision, bool) {
	need, d := s.NeedsUser(url, "GET")
	if need {
		return d, true
	}
	if d.PreAuth != nil || d.Forbidden || !strings.HasSuffix(url, "/") {
		return d, false
	}
	for _, target := range s.IndexTargets(url) {
		if di, rechecked := s.IndexCheck(d.Scope, target); rechecked && di.NeedsUser {
			return di, true
		}
	}
	return d, false
}

func runPolicyApache(p *Pass, public bool) {
	m := apacheModel(p)
	if m == nil {
		return
	}
	guardApache(p, m, func() {
		for _, s := range m.Servers {
			pub, prot := p.Env.Policy.For(s.Names())
			globs := prot
			if public {
				globs = pub
			}
			for _, u := range apachePolicyProbes(s, globs) {
				if public {
					policyPublicApache(p, s, u, prot)
				} else {
					policyProtectedApache(p, s, u)
				}
			}
		}
	})
}

func policyPublicApache(p *Pass, s *apachemodel.Server, u policyURL, protected []string) {
	if _, alsoProtected := matchAny(protected, u.uri); alsoProtected {
		return
	}
	d, asks := apacheAsksForUser(s, u.uri)
	at := requireReport(d)
	if !asks || at == nil {
		return
	}
	p.Report(Finding{
		Pos: at.Pos, End: at.End,
		Message: "the policy says " + u.uri + " is public (" + u.glob + "), but GET " + u.uri + " on " + s.Label() +
			" asks for credentials: " + apacheText(at) + " applies (" + d.Scope.ChainString() + ")",
		Hint: "move the auth into the private sections, or grant the public path in a section that merges later (`<Location ...> Require all granted </Location>`)",
	})
}

func policyProtectedApache(p *Pass, s *apachemodel.Server, u policyURL) {
	d, asks := apacheAsksForUser(s, u.uri)
	if asks || d.PreAuth != nil || d.Forbidden {
		return
	}
	at := s.Node
	if d.Set != nil && d.Set.Node != nil {
		at = d.Set.Node // the section whose Require set grants the request
	}
	if at == nil {
		return
	}
	p.Report(Finding{
		Pos: at.Pos, End: headEnd(at),
		Message: "the policy says " + u.uri + " needs auth (" + u.glob + "), but GET " + u.uri + " on " + s.Label() +
			" is served without credentials (" + d.Scope.ChainString() + ")",
		Hint: "require a user for that path (AuthType, AuthName, AuthUserFile and `Require valid-user` in its <Location> or <Directory>)",
	})
}
