package rules

import (
	"slices"
	"strings"

	"github.com/authlint/authlint/internal/apachemodel"
	"github.com/authlint/authlint/parser/ast"
)

// apache-limit-partial-methods (catalog X16): every Require that asks for
// a user sits inside <Limit m...>, and a Require limited to other methods
// grants in apply_authz_sections(), so every method the <Limit> does not
// name (PUT, DELETE, PATCH, OPTIONS, unknown ones) is served without auth.
// Protecting only the writes while reads stay public is often meant, hence
// a warning for that split; a <Limit> over every state-changing method on
// a static-file handler is left alone.
func init() {
	Register(&Rule{
		ID:       "apache-limit-partial-methods",
		Summary:  "auth only inside `<Limit>`: every method it does not list is served without credentials",
		Severity: Error,
		Servers:  []ast.Kind{ast.KindApache, ast.KindHtaccess},
		Doc:      doc("apache-limit-partial-methods"),
		Run:      runApacheLimitPartialMethods,
	})
}

// limitMethods are the methods tried: listed and unlisted ones, and an
// unknown one.
var limitMethods = []string{"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "FOO"}

// writeMethods change state.
var writeMethods = []string{"POST", "PUT", "DELETE", "PATCH"}

func runApacheLimitPartialMethods(p *Pass) {
	m := apacheModel(p)
	if m == nil || !methodDependent(p.Configs) {
		return
	}
	guardApache(p, m, func() {
		var w worstPerPos
		for _, s := range m.Servers {
			for _, url := range s.SampleURLs() {
				if f, ok := limitPartial(s, url); ok {
					w.add(f)
				}
			}
		}
		w.report(p)
	})
}

func limitPartial(s *apachemodel.Server, url string) (Finding, bool) {
	var protected, open []string
	var limit *ast.Node
	var dec *apachemodel.Decision
	static := true
	for _, method := range limitMethods {
		sc := s.Merge(url, method)
		if sc.Target.PreAuth != nil || sc.Fatal != nil {
			return Finding{}, false
		}
		d := s.Decide(sc)
		if d.SatisfyAny != nil {
			return Finding{}, false // apache-satisfy-any-bypass
		}
		static = static && staticHandler(sc)
		switch {
		case d.NeedsUser:
			for _, r := range d.Requires {
				l := inLimit(r)
				if l == nil || !l.Is("Limit") {
					return Finding{}, false // some user Require covers every method
				}
				if limit == nil {
					limit, dec = l, d
				}
			}
			protected = append(protected, method)
		case !d.Forbidden:
			open = append(open, method)
		}
	}
	if limit == nil || len(open) == 0 {
		return Finding{}, false
	}
	writesProtected := true
	for _, wm := range writeMethods {
		writesProtected = writesProtected && slices.Contains(protected, wm)
	}
	if writesProtected && static {
		return Finding{}, false // unlisted methods reach only the static-file handler
	}
	sev, what := Error, ""
	if !slices.Contains(protected, "GET") {
		sev, what = Warning, "; reads are public and only some writes are protected, which may be meant, but "+
			"the other writes are not"
	}
	return Finding{
		Severity: sev, Pos: limit.Pos, End: limit.End,
		Message: "only " + strings.Join(protected, ", ") + " ask for credentials: the user Require " + where(dec.Set) +
			" sits inside " + apacheText(limit) + ", and a Require limited to other methods grants, so " +
			methodList(open) + " requests for " + url + " on " + s.Label() + " are served without credentials" + what +
			" (" + dec.Scope.ChainString() + ")",
		Hint: "drop the <Limit> around the Require, or protect every method but the safe ones: " +
			"`<LimitExcept GET HEAD OPTIONS> Require valid-user </LimitExcept>`",
	}, true
}

// staticHandler: nothing but the default handler serves the URL (no CGI,
// proxy or handler directive), which answers only GET/HEAD/POST/OPTIONS.
func staticHandler(sc *apachemodel.Scope) bool {
	if sc.Target.CGI || sc.Target.Proxy != nil {
		return false
	}
	for _, name := range []string{"SetHandler", "AddHandler", "Action", "Script", "ProxyPass", "RewriteRule", "Options"} {
		for _, f := range sc.All(name) {
			if name != "Options" || strings.Contains(strings.ToLower(f.Node.Text()), "execcgi") {
				return false
			}
		}
	}
	return true
}

// methodList renders methods, naming the unknown one as such.
func methodList(ms []string) string {
	var out []string
	for _, m := range ms {
		if m == "FOO" {
			m = "unknown methods (FOO)"
		}
		out = append(out, m)
	}
	return strings.Join(out, ", ")
}
