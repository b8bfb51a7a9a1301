package rules

import (
	"github.com/authlint/authlint/internal/nginxmodel"
	"github.com/authlint/authlint/parser/ast"
)

// policy-protected-path-open: a URL the policy declares protected is
// served without credentials, for example through a regex location that
// wins over the protected prefix.
func init() {
	Register(&Rule{
		ID:       "policy-protected-path-open",
		Summary:  "a URL path the policy says needs auth is served without credentials",
		Severity: Error,
		Servers:  []ast.Kind{ast.KindNginx, ast.KindApache, ast.KindHtaccess},
		Doc:      doc("policy-protected-path-open"),
		Run:      runPolicyProtected,
	})
}

func runPolicyProtected(p *Pass) {
	if p.Env.Policy.Empty() {
		return
	}
	runPolicyApache(p, false)
	for _, s := range nginxServers(p) {
		_, protected := p.Env.Policy.For(s.Names())
		for _, pr := range nginxPolicyProbes(s, protected) {
			if authStep(s, pr.uri, pr.steps) != nil {
				continue
			}
			st := &pr.steps[0]
			for i := 1; st.Rewrite != nil && i < len(pr.steps); i++ {
				st = &pr.steps[i] // `rewrite ... last`: served where the new URI lands
			}
			if st.Return != nil && !isContentReturn(st) {
				continue // a redirect or an error serves nothing
			}
			at := s.Node
			where := "the server level"
			if st.Location != nil {
				at, where = st.Location.Node, locationLabel(st.Location)
			}
			if at == nil {
				continue
			}
			p.Report(Finding{
				Pos: at.Pos, End: headEnd(at),
				Message: "the policy says " + pr.uri + " needs auth (" + pr.glob + "), but GET " + pr.uri + " on " + serverLabel(s) +
					" is served by " + where + " without credentials (" + st.Scope.Chain() + ")",
				Hint: "add the auth to this location, or nest it inside the protected location and make that one `^~`",
			})
		}
	}
}

// isContentReturn reports a `return 2xx` that serves a body.
func isContentReturn(st *nginxmodel.Step) bool {
	code := st.Return.Arg(0)
	return len(code) == 3 && code[0] == '2'
}

// locationRelated points at the location that serves a step, if any.
func locationRelated(st *nginxmodel.Step, msg string) []Related {
	if st.Location == nil {
		return nil
	}
	return []Related{{Pos: st.Location.Node.Pos, Message: msg}}
}
