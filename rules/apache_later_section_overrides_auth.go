package rules

import (
	"path"
	"regexp"
	"strings"

	"github.com/authlint/authlint/internal/apachemodel"
	"github.com/authlint/authlint/parser/ast"
)

// apache-later-section-overrides-auth (catalog X14): with the default
// `AuthMerging Off` a section that has any Require replaces the Require
// set it inherits. A section merged later than the one that asks for a
// user (<DirectoryMatch>, <Files*>, <Location*>, <If>, a deeper
// <Directory> or .htaccess) that grants without a user opens the area. A
// later section over a strictly narrower path is likely a deliberate
// public carve-out and only info.
func init() {
	Register(&Rule{
		ID:       "apache-later-section-overrides-auth",
		Summary:  "a later-merged section's Require replaces the auth of an earlier one and grants everyone",
		Severity: Error,
		Servers:  []ast.Kind{ast.KindApache, ast.KindHtaccess},
		Doc:      doc("apache-later-section-overrides-auth"),
		Run:      runApacheLaterSectionOverridesAuth,
	})
}

func runApacheLaterSectionOverridesAuth(p *Pass) {
	m := apacheModel(p)
	if m == nil {
		return
	}
	guardApache(p, m, func() {
		var w worstPerPos
		eachApacheScope(m, []string{"GET"}, func(s *apachemodel.Server, url string, sc *apachemodel.Scope, d *apachemodel.Decision) {
			if f, ok := laterOverride(s, url, sc, d); ok {
				w.add(f)
			}
			for _, f := range undecidedOverrides(s, url, sc, d) {
				w.add(f)
			}
		})
		w.report(p)
	})
}

func laterOverride(s *apachemodel.Server, url string, sc *apachemodel.Scope, d *apachemodel.Decision) (Finding, bool) {
	if d.NeedsUser || d.Forbidden || d.SatisfyAny != nil {
		return Finding{}, false
	}
	steps := s.SetSteps(sc)
	if len(steps) < 2 {
		return Finding{}, false
	}
	later := steps[len(steps)-1]
	if later.Merging != "" || !later.After.Grants() {
		return Finding{}, false // AuthMerging Or is apache-require-or-grants-all; And cannot open
	}
	var earlier *apachemodel.SetStep
	for i := len(steps) - 2; i >= 0; i-- {
		if steps[i].After.NeedsUser {
			earlier = &steps[i]
			break
		}
	}
	if earlier == nil {
		return Finding{}, false
	}
	// mod_dir serves a directory through a subrequest for its index file,
	// which is checked again: the directory URL itself is then not open.
	for _, target := range s.IndexTargets(url) {
		if di, rechecked := s.IndexCheck(sc, target); rechecked && di.NeedsUser {
			return Finding{}, false
		}
	}
	g := firstGrant(later.Section.Body)
	if g == nil {
		return Finding{}, false
	}
	f := Finding{
		Pos: g.Pos, End: g.End,
		Message: apacheText(g) + " " + where(later.Section) + " replaces the Require set " + where(earlier.Section) +
			" that asks for a user (without AuthMerging a later section's Require set replaces the inherited one), so " +
			"GET " + url + " on " + s.Label() + " is served without credentials (" + sc.ChainString() + ")",
		Hint:    "narrow the granting section so it does not cover the protected area, or add `AuthMerging And` to it",
		Related: []Related{{Pos: earlier.Section.Pos(), Message: "the section that asks for a user"}},
	}
	switch {
	case narrower(s, earlier.Section, later.Section):
		f.Severity = Info
		f.Message += "; it covers a strictly narrower path, likely a deliberate public carve-out"
	case staticAssetsOnly(later.Section):
		f.Severity = Info
		f.Message += "; it names only static asset types (styles, scripts, images, fonts), likely a deliberate carve-out"
	}
	return f, true
}

// narrower reports a later section whose paths are a strict part of the
// earlier section's: a deeper directory, a longer URL prefix, one named
// file, or an anchored regex over a longer prefix or a fixed set of URLs.
func narrower(s *apachemodel.Server, earlier, later *apachemodel.Section) bool {
	base := sectionURL(s, earlier)
	switch later.Kind {
	case "Directory", "htaccess":
		u := sectionURL(s, later)
		return base != "" && u != "" && strictlyUnder(u, base)
	case "Location":
		return base != "" && !strings.ContainsAny(later.Path, "*?[") && strictlyUnder(later.Path, base)
	case "LocationMatch":
		lit, finite, anchored := regexShape(later.Path)
		return base != "" && anchored && (finite || strictlyUnder(lit, base))
	case "Files":
		return !strings.ContainsAny(later.Path, "*?[")
	case "FilesMatch":
		_, finite, anchored := regexShape(later.Path)
		return finite && anchored
	}
	return false
}

// sectionURL is the URL prefix a Directory, .htaccess or Location stands
// for on the server; "" when unknown.
func sectionURL(s *apachemodel.Server, sec *apachemodel.Section) string {
	switch sec.Kind {
	case "Directory":
		return s.URLFor(sec.Path)
	case "htaccess":
		return s.URLFor(sec.Dir)
	case "Location":
		if strings.ContainsAny(sec.Path, "*?[") {
			return ""
		}
		return sec.Path
	}
	return ""
}

// strictlyUnder: URL prefix u lies below base and is not base itself.
func strictlyUnder(u, base string) bool {
	u, base = strings.TrimSuffix(path.Clean("/"+u), "/"), strings.TrimSuffix(path.Clean("/"+base), "/")
	return u != base && strings.HasPrefix(u, base+"/")
}

// regexShape reads an anchored regex: its literal prefix, whether it
// matches only a fixed set of strings (no repetition, no classes, no
// unescaped dot, and a final $), and whether it starts with ^.
func regexShape(re string) (lit string, finite, anchored bool) {
	re = strings.TrimPrefix(re, "(?i)")
	if !strings.HasPrefix(re, "^") {
		return "", false, false
	}
	body := strings.NewReplacer(`\.`, "", `\-`, "", `\/`, "/", `\_`, "").Replace(re[1:])
	finite = strings.HasSuffix(body, "$") && !strings.ContainsAny(strings.TrimSuffix(body, "$"), `*+.[{\$^`)
	var b strings.Builder
	rest := re[1:]
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if c == '\\' && i+1 < len(rest) && strings.IndexByte(`./-_`, rest[i+1]) >= 0 {
			i++
			b.WriteByte(rest[i])
			continue
		}
		if strings.IndexByte(`.*+?[](){}|\$^`, c) >= 0 {
			break
		}
		b.WriteByte(c)
	}
	return b.String(), finite, true
}

// undecidedOverrides covers the <If> sections whose condition authlint
// cannot evaluate (`<If "%{HTTP_HOST} == 'dev.example.com'">`): whenever
// the condition holds, a grant in them replaces the auth in effect.
func undecidedOverrides(s *apachemodel.Server, url string, sc *apachemodel.Scope, d *apachemodel.Decision) []Finding {
	if !d.NeedsUser || d.Set == nil {
		return nil
	}
	var out []Finding
	for _, sec := range sc.Undecided {
		res, ok := apachemodel.SectionResult(sec, sc.Method)
		if !ok || !res.Grants() || sec.AuthMerging() != "" {
			continue
		}
		g := firstGrant(sec.Body)
		if g == nil {
			continue
		}
		out = append(out, Finding{
			Pos: g.Pos, End: g.End,
			Message: apacheText(g) + " " + where(sec) + " merges last and replaces the Require set " + where(d.Set) +
				" that asks for a user whenever its condition holds (authlint cannot evaluate it), so GET " + url + " on " +
				s.Label() + " is then served without credentials (" + sc.ChainString() + " → " + sec.Label() + ")",
			Hint:    "add `AuthMerging And` to the <If>, or put the condition inside the protected section's <RequireAll>",
			Related: []Related{{Pos: d.Set.Pos(), Message: "the section that asks for a user"}},
		})
	}
	return out
}

// assetExts are file types that carry no data of their own: opening them
// under a protected area is the usual way to let its login page render.
var assetExts = map[string]bool{
	"css": true, "js": true, "map": true, "png": true, "jpg": true, "jpeg": true, "gif": true, "svg": true, "ico": true,
	"webp": true, "woff": true, "woff2": true, "ttf": true, "eot": true, "otf": true,
}

// assetPattern is a pattern ending in one extension or a group of them:
// `\.(css|js|png)$`, `*.css`.
var assetPattern = regexp.MustCompile(`(?i)(?:\\\.|\*\.|\.)\(?(?:\?:)?([a-z0-9|]+)\)?\$?$`)

// staticAssetsOnly reports a <Files*>/<LocationMatch> section that matches
// only static asset types.
func staticAssetsOnly(sec *apachemodel.Section) bool {
	switch sec.Kind {
	case "Files", "FilesMatch", "LocationMatch":
	default:
		return false
	}
	m := assetPattern.FindStringSubmatch(sec.Path)
	if m == nil {
		return false
	}
	for ext := range strings.SplitSeq(strings.ToLower(m[1]), "|") {
		if !assetExts[ext] {
			return false
		}
	}
	return true
}
