package rules

import (
	"github.com/authlint/authlint/parser/ast"
)

// policy-public-path-requires-auth: a URL the policy declares public asks
// for credentials on some server.
func init() {
	Register(&Rule{
		ID:       "policy-public-path-requires-auth",
		Summary:  "a URL path the policy says is public asks for credentials",
		Severity: Error,
		Servers:  []ast.Kind{ast.KindNginx, ast.KindApache, ast.KindHtaccess},
		Doc:      doc("policy-public-path-requires-auth"),
		Run:      runPolicyPublic,
	})
}

func runPolicyPublic(p *Pass) {
	if p.Env.Policy.Empty() {
		return
	}
	runPolicyApache(p, true)
	for _, s := range nginxServers(p) {
		public, protected := p.Env.Policy.For(s.Names())
		for _, pr := range nginxPolicyProbes(s, public) {
			if _, alsoProtected := matchAny(protected, pr.uri); alsoProtected {
				continue // the policy asks for both; protection wins
			}
			st := authStep(s, pr.uri, pr.steps)
			if st == nil {
				continue
			}
			a := st.Auth
			p.Report(Finding{
				Pos: a.By.Pos, End: a.By.End,
				Message: "the policy says " + pr.uri + " is public (" + pr.glob + "), but GET " + pr.uri + " on " + serverLabel(s) +
					" asks for credentials: " + directiveText(a.By) + " " + levelName(a.Scope, a.By) + " applies (" + a.Scope.Chain() + ")",
				Hint:    "turn auth off for that path (`auth_basic off;` in a location for it) or move the auth into the private locations",
				Related: locationRelated(st, "GET "+st.URI+" is served here"),
			})
		}
	}
}
