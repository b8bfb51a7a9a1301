package rules

import (
	"strings"

	"github.com/authlint/authlint/internal/apachemodel"
	"github.com/authlint/authlint/parser/ast"
)

// apache-require-or-grants-all (catalog X15): Require lines side by side
// form an implicit <RequireAny>, so `Require valid-user` next to `Require
// all granted` (or an ip range that matches everyone, `expr true`) asks
// nobody for a password. The same holds across sections joined with
// `AuthMerging Or`. A narrow ip/host/local grant beside the user is often
// meant ("this network or a password") and is only info.
func init() {
	Register(&Rule{
		ID:       "apache-require-or-grants-all",
		Summary:  "`Require valid-user` beside a Require that grants everyone: the implicit RequireAny makes it public",
		Severity: Error,
		Servers:  []ast.Kind{ast.KindApache, ast.KindHtaccess},
		Doc:      doc("apache-require-or-grants-all"),
		Run:      runApacheRequireOrGrantsAll,
	})
}

func runApacheRequireOrGrantsAll(p *Pass) {
	m := apacheModel(p)
	if m == nil {
		return
	}
	guardApache(p, m, func() {
		once := reportOnce{}
		env := envSetters(p.Configs)
		eachApacheScope(m, []string{"GET"}, func(s *apachemodel.Server, url string, sc *apachemodel.Scope, _ *apachemodel.Decision) {
			group := orGroup(s.SetSteps(sc))
			for _, st := range group {
				anyMixes(p, once, env, st.Section, st.Section.Body, "", s, url, sc)
			}
			if len(group) > 1 {
				orAcross(p, once, group, s, url, sc)
			}
		})
	})
}

// orGroup returns the steps whose Require sets are joined by AuthMerging
// Or into the set in effect: the last step and those before it linked by
// "or".
func orGroup(steps []apachemodel.SetStep) []apachemodel.SetStep {
	if len(steps) == 0 {
		return nil
	}
	i := len(steps) - 1
	for i > 0 && steps[i].Merging == "or" {
		i--
	}
	return steps[i:]
}

// anyMixes checks one RequireAny (the implicit one of a section body, or
// an explicit block): a user Require among its members and a member that
// grants without a user.
func anyMixes(p *Pass, once reportOnce, env map[string]string, sec *apachemodel.Section, nodes []*ast.Node, block string,
	s *apachemodel.Server, url string, sc *apachemodel.Scope,
) {
	var user *ast.Node
	var grants []*ast.Node
	var visit func(nodes []*ast.Node)
	visit = func(nodes []*ast.Node) {
		for _, n := range nodes {
			switch {
			case !n.Block && n.Is("Require"):
				if apachemodel.NeedsUserProvider(n) {
					if user == nil {
						user = n
					}
				} else if grantKind(n) != "" && inLimit(n) == nil {
					grants = append(grants, n)
				}
			case n.Block && n.Is("RequireAny"):
				if u := firstUserRequire(n.Children); u != nil && user == nil {
					user = u
				}
				anyMixes(p, once, env, sec, n.Children, "any", s, url, sc)
			case n.Block && (n.Is("RequireAll") || n.Is("RequireNone")):
				if u := firstUserRequire(n.Children); u != nil && user == nil && n.Is("RequireAll") {
					user = u
				}
				for _, c := range n.Children {
					if c.Block && c.Is("RequireAny") {
						anyMixes(p, once, env, sec, c.Children, "all", s, url, sc)
					}
				}
			case n.Block && (n.Is("Limit") || n.Is("LimitExcept") || strings.HasPrefix(strings.ToLower(n.Name), "if") && !n.Is("If")):
				visit(n.Children)
			}
		}
	}
	visit(nodes)
	if user == nil {
		return
	}
	for _, g := range grants {
		kind := grantKind(g)
		sev := Error
		switch kind {
		case "narrow":
			if block != "" {
				continue // an explicit <RequireAny> of a network and a user says what it means
			}
			sev = Info
		case "env":
			switch env[strings.ToLower(g.Arg(1))] {
			case "all":
			case "late":
				continue // set only after authz: the grant never applies
			default:
				sev = Info
			}
		}
		if block == "all" {
			kind, sev = "narrow", Info // the enclosing <RequireAll> still restricts who gets in
		}
		if !once.first(g.Pos) {
			continue
		}
		container := "the implicit <RequireAny> of " + sec.Label()
		if block != "" {
			container = "a <RequireAny> " + where(sec)
		}
		msg := apacheText(g) + " and " + apacheText(user) + " sit side by side in " + container + ": either one is enough, " +
			"so " + grantWho(kind, g) + " without credentials (" + sc.Method + " " + url + " on " + s.Label() + ", " + sc.ChainString() + ")"
		p.Report(Finding{
			Severity: sev, Pos: g.Pos, End: g.End, Message: msg,
			Hint:    "delete " + apacheText(g) + "; if both conditions must hold, wrap them in `<RequireAll>`",
			Related: []Related{{Pos: user.Pos, Message: "the Require that asks for a user"}},
		})
	}
}

// grantWho says who gets in through a grant.
func grantWho(kind string, g *ast.Node) string {
	switch kind {
	case "all":
		return "every client is served"
	case "env":
		return "every request that sets " + g.Arg(1) + " is served"
	}
	if strings.EqualFold(g.Arg(0), "method") {
		return "requests with the methods of " + apacheText(g) + " are served"
	}
	return "clients matching " + apacheText(g) + " (and whatever else encloses it) are served"
}

// orAcross reports a grant-everyone set joined by AuthMerging Or to a set
// that asks for a user.
func orAcross(p *Pass, once reportOnce, group []apachemodel.SetStep, s *apachemodel.Server, url string, sc *apachemodel.Scope) {
	last := group[len(group)-1]
	if !last.After.Grants() {
		return
	}
	var user *apachemodel.SetStep
	for i := range group {
		if group[i].Own.NeedsUser {
			user = &group[i]
			break
		}
	}
	if user == nil {
		return
	}
	for _, st := range group {
		if !st.Own.Grants() {
			continue
		}
		g := firstGrant(st.Section.Body)
		if g == nil || !once.first(g.Pos) {
			continue
		}
		or := group[len(group)-1].Section
		for _, o := range group[1:] {
			if o.Merging == "or" {
				or = o.Section
				break
			}
		}
		joined := "is joined with `AuthMerging Or` " + where(or) + " to the Require set " + where(user.Section) + " that asks for a user"
		if or == user.Section {
			joined = "is joined by `AuthMerging Or` to the Require set " + where(or) + " that asks for a user"
		}
		p.Report(Finding{
			Pos: g.Pos, End: g.End,
			Message: apacheText(g) + " " + where(st.Section) + " " + joined + ": either set is enough, so " + sc.Method + " " + url +
				" on " + s.Label() + " is served without credentials (" + sc.ChainString() + ")",
			Hint:    "use `AuthMerging And` (or Off) in " + or.Label() + ", or narrow the granting section",
			Related: []Related{{Pos: or.Pos(), Message: "AuthMerging Or joins the sets here"}},
		})
	}
}

// firstUserRequire finds a Require that needs a user among nodes, at any
// depth.
func firstUserRequire(nodes []*ast.Node) *ast.Node {
	var out *ast.Node
	ast.Walk(nodes, func(n *ast.Node) bool {
		if out == nil && !n.Block && n.Is("Require") && apachemodel.NeedsUserProvider(n) {
			out = n
		}
		return out == nil
	})
	return out
}

// envSetters records how the configs set each environment variable
// (lower case): "all" when a SetEnvIf sets it for every request, "some"
// when a SetEnvIf-family directive or a server-level RewriteRule [E=]
// sets it for some, "late" when only SetEnv does. SetEnv (mod_env) runs
// in the fixups phase, after authz, so `Require env` never sees its
// variables (checked on Apache 2.4: 401); SetEnvIf runs before it.
func envSetters(configs []*ast.Config) map[string]string {
	out := map[string]string{}
	set := func(name, how string) {
		name = strings.ToLower(strings.TrimPrefix(strings.SplitN(name, "=", 2)[0], "!"))
		if name == "" || strings.HasPrefix(name, "~") {
			return
		}
		switch {
		case how == "all" || out[name] == "":
			out[name] = how
		case how == "some" && out[name] == "late":
			out[name] = how
		}
	}
	for _, c := range configs {
		ast.Walk(c.Nodes, func(n *ast.Node) bool {
			if n.Block {
				return true
			}
			args := n.Values()
			switch {
			case n.Is("SetEnv") && len(args) > 0:
				set(args[0], "late")
			case (n.Is("SetEnvIf") || n.Is("SetEnvIfNoCase")) && len(args) > 2:
				how := "some"
				switch args[1] {
				case ".*", "^", "^.*", "^.*$", ".*$", "":
					how = "all"
				}
				for _, v := range args[2:] {
					set(v, how)
				}
			case (n.Is("BrowserMatch") || n.Is("BrowserMatchNoCase")) && len(args) > 1:
				for _, v := range args[1:] {
					set(v, "some")
				}
			case n.Is("SetEnvIfExpr") && len(args) > 1:
				for _, v := range args[1:] {
					set(v, "some")
				}
			case n.Is("RewriteRule") && strings.Contains(strings.ToLower(n.Text()), "e="):
				for part := range strings.SplitSeq(strings.Trim(args[len(args)-1], "[]"), ",") {
					if k, v, ok := strings.Cut(part, "="); ok && strings.EqualFold(strings.TrimSpace(k), "e") {
						set(v, "some")
					}
				}
			}
			return true
		})
	}
	return out
}
