package apachemodel

import (
	"path/filepath"
	"strings"
)

// SetStep is one section that set or joined the Require set while a scope
// merged, with what the set alone and the set in effect after it say for
// the scope's method.
type SetStep struct {
	Section *Section
	// Merging is the section's AuthMerging: "" (Off: it replaces what it
	// inherits), "and" or "or".
	Merging string
	// Own is the section's own Require set alone; After the set in effect
	// once the section merged.
	Own, After SetResult
}

// SetResult is what a Require set says to a client without a user:
// NeedsUser (401) or Forbidden (403) for some client; neither means it
// grants every client.
type SetResult struct {
	NeedsUser, Forbidden bool
}

// Grants reports a set that lets every client in without a user.
func (v SetResult) Grants() bool { return !v.NeedsUser && !v.Forbidden }

// SetSteps returns the sections of a scope that carry Require lines, in
// merge order (the server level never does: AH00526). The last step's
// After is the Decision before Satisfy Any.
func (s *Server) SetSteps(sc *Scope) []SetStep {
	if sc.Target.PreAuth != nil || sc.Fatal != nil {
		return nil
	}
	var out []SetStep
	var cur *authzNode
	for _, sec := range sc.Chain {
		if sec.Kind == "server" {
			continue
		}
		own := authzOf(sec.Body)
		if own == nil {
			continue
		}
		st := SetStep{Section: sec, Merging: sec.AuthMerging(), Own: verdictOf(own, sc.Method)}
		switch {
		case st.Merging == "and" && cur != nil:
			cur = &authzNode{op: "all", children: []*authzNode{cur, own}}
		case st.Merging == "or" && cur != nil:
			cur = &authzNode{op: "any", children: []*authzNode{cur, own}}
		default:
			cur = own
		}
		st.After = verdictOf(cur, sc.Method)
		out = append(out, st)
	}
	return out
}

// SectionResult evaluates a section's own Require set alone for a method;
// ok is false when the section has no Require (it inherits).
func SectionResult(sec *Section, method string) (res SetResult, ok bool) {
	own := authzOf(sec.Body)
	if own == nil {
		return SetResult{}, false
	}
	return verdictOf(own, method), true
}

// verdictOf evaluates a set for the client that passes every host test
// and the one that passes none, as Decide does.
func verdictOf(a *authzNode, method string) SetResult {
	outside := a.eval(method, false, false)
	inside := a.eval(method, false, true)
	return SetResult{
		NeedsUser: outside == deniedNoUser || inside == deniedNoUser,
		Forbidden: outside == denied && inside != deniedNoUser,
	}
}

// AuthMerging returns the section's AuthMerging in lower case; "" for Off
// or none.
func (s *Section) AuthMerging() string {
	m := last(s.Body, "AuthMerging")
	if m == nil || strings.EqualFold(m.Arg(0), "off") {
		return ""
	}
	return strings.ToLower(m.Arg(0))
}

// URLForFile maps a file to the URL that serves it on this server through
// the DocumentRoot or an Alias; file is a path as the run reads it (for
// instance ServerRoot-relative names joined to the loader's ServerRoot)
// or as the config names it. "" when no URL reaches it.
func (s *Server) URLForFile(file string) string {
	if !filepath.IsAbs(file) {
		return ""
	}
	// A config name maps into the run's tree; a run path is itself.
	// The file need not exist in the run: map its longest existing
	// ancestor.
	dir, rest := filepath.Dir(file), filepath.Base(file)
	for !s.model.exists(dir) && dir != filepath.Dir(dir) {
		dir, rest = filepath.Dir(dir), filepath.Join(filepath.Base(dir), rest)
	}
	cands := []string{filepath.Join(s.model.Real(dir), rest), realPath(file)}
	try := func(dir, prefix string) string {
		if dir == "" {
			return ""
		}
		d := s.model.Real(dir)
		for _, c := range cands {
			if within(c, d) && c != d {
				rel, _ := filepath.Rel(d, c)
				return strings.TrimSuffix(prefix, "/") + "/" + filepath.ToSlash(rel)
			}
		}
		return ""
	}
	if u := try(s.DocRoot, "/"); u != "" {
		return u
	}
	for _, lvl := range serverOrder(s) {
		for _, n := range lvl.Top {
			if !n.Block && (n.Is("Alias") || n.Is("ScriptAlias")) && len(n.Args) == 2 {
				if u := try(cleanDir(n.Arg(1)), n.Arg(0)); u != "" {
					return u
				}
			}
		}
	}
	return ""
}
