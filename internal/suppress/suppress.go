// Package suppress applies `# authlint:ignore` comments: a finding on the
// line below such a comment (or, in nginx, on the same line before it) is
// dropped when the comment names its rule and gives a reason; a comment
// without a reason or with an unknown rule is itself a finding, and one
// that suppresses nothing is reported so suppressions do not rot.
package suppress

import (
	"regexp"
	"slices"
	"strings"

	"github.com/authlint/authlint/parser/ast"
	"github.com/authlint/authlint/rules"
)

// The ids of the two findings this package reports.
const (
	RuleInvalid = "suppression-invalid"
	RuleUnused  = "suppression-unused"
)

// pragma matches the comment text after '#'.
var pragma = regexp.MustCompile(`^\s*authlint:(ignore-file|ignore)\b(.*)$`)

// directive is one parsed suppression comment.
type directive struct {
	rules     []string
	wholeFile bool
	pos       ast.Pos
	line      int // the line whose findings it suppresses (0 for a file suppression)
	used      bool
}

// Apply drops the findings that suppression comments cover and adds the
// findings about the comments themselves.
func Apply(findings []rules.Finding, comments []ast.Comment) []rules.Finding {
	dirs, out := parse(uniq(comments))
	for _, f := range findings {
		if !suppressed(f, dirs) {
			out = append(out, f)
		}
	}
	for _, d := range dirs {
		if !d.used {
			out = append(out, rules.Finding{
				Rule: RuleUnused, Severity: rules.Info, Pos: d.pos,
				Message: "this authlint:" + kind(d) + " comment suppresses nothing: no " + strings.Join(d.rules, ", ") + " finding " + where(d),
				Hint:    "delete the comment, or move it directly above the directive the finding is reported at",
			})
		}
	}
	return out
}

func kind(d *directive) string {
	if d.wholeFile {
		return "ignore-file"
	}
	return "ignore"
}

func where(d *directive) string {
	if d.wholeFile {
		return "is reported in this file"
	}
	return "is reported on the line it applies to"
}

func suppressed(f rules.Finding, dirs []*directive) bool {
	hit := false
	for _, d := range dirs {
		if d.pos.File != f.Pos.File || !slices.Contains(d.rules, f.Rule) {
			continue
		}
		if d.wholeFile || d.line == f.Pos.Line {
			d.used = true
			hit = true
		}
	}
	return hit
}

// parse reads the suppression comments. A comment on its own line applies
// to the next line that is not itself a comment line, so several pragmas
// can be stacked above one directive; a trailing comment (nginx) applies
// to its own line.
func parse(comments []ast.Comment) (dirs []*directive, problems []rules.Finding) {
	commentLines := map[string]map[int]bool{}
	for _, c := range comments {
		if c.Trailing {
			continue
		}
		if commentLines[c.Pos.File] == nil {
			commentLines[c.Pos.File] = map[int]bool{}
		}
		commentLines[c.Pos.File][c.Pos.Line] = true
	}
	for _, c := range comments {
		m := pragma.FindStringSubmatch(c.Text)
		if m == nil {
			continue
		}
		d := &directive{wholeFile: m[1] == "ignore-file", pos: c.Pos}
		ids, reason, hasReason := strings.Cut(m[2], "--")
		d.rules = strings.FieldsFunc(ids, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
		if msg := invalid(d.rules, hasReason && strings.TrimSpace(reason) != ""); msg != "" {
			problems = append(problems, rules.Finding{
				Rule: RuleInvalid, Severity: rules.Warning, Pos: c.Pos, Message: msg,
				Hint: "write it as `# authlint:" + m[1] + " RULE[,RULE] -- why this is fine`",
			})
			continue
		}
		if !d.wholeFile {
			d.line = c.Pos.Line
			if !c.Trailing {
				d.line++
				for commentLines[c.Pos.File][d.line] {
					d.line++
				}
			}
		}
		dirs = append(dirs, d)
	}
	return dirs, problems
}

func invalid(ids []string, hasReason bool) string {
	if len(ids) == 0 {
		return "this authlint suppression names no rule, so it suppresses nothing"
	}
	for _, id := range ids {
		if _, ok := rules.Lookup(id); !ok {
			return "this authlint suppression names " + id + ", which is not a rule (`authlint rules` lists them)"
		}
	}
	if !hasReason {
		return "this authlint suppression gives no reason: add one after ` -- `, so the next reader knows why the finding is fine"
	}
	return ""
}

// uniq drops comments seen twice (a file spliced at several include sites).
func uniq(comments []ast.Comment) []ast.Comment {
	seen := map[ast.Pos]bool{}
	var out []ast.Comment
	for _, c := range comments {
		if !seen[c.Pos] {
			seen[c.Pos] = true
			out = append(out, c)
		}
	}
	return out
}
