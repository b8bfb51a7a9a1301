// Package rules holds the rule engine: what a rule is, what it reports, and
// the registry every part of the tool reads rule ids and docs from.
package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/authlint/authlint/internal/apachemodel"
	"github.com/authlint/authlint/internal/paths"
	"github.com/authlint/authlint/parser/ast"
)

// Severity of a finding. The order matters: a higher value is more severe.
type Severity int

// Severities, least severe first.
const (
	Info Severity = iota + 1
	Warning
	Error
)

// String gives the lower-case name used in output and flags.
func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	default:
		return "unknown"
	}
}

// ParseSeverity reads "error", "warning" or "info".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "error":
		return Error, nil
	case "warning":
		return Warning, nil
	case "info":
		return Info, nil
	default:
		return 0, fmt.Errorf("unknown severity %q (want error, warning or info)", s)
	}
}

// Related is a secondary location of a finding.
type Related struct {
	Pos     ast.Pos
	Message string
}

// Finding is one reported problem.
type Finding struct {
	Rule     string
	Severity Severity
	Pos      ast.Pos
	End      ast.Pos // inclusive end; zero when unknown
	Message  string
	Hint     string
	Related  []Related
}

// Rule is a check, a plain value in the spirit of go/analysis.Analyzer.
type Rule struct {
	ID       string
	Summary  string   // one line
	Severity Severity // default severity
	Servers  []ast.Kind
	// Doc is Markdown: why it matters, what the server does, a bad and a
	// good example, the fix. `authlint rules ID` prints it.
	Doc string
	// Run inspects the pass and reports through it; nil for the built-in
	// ids that the parsers and loaders report.
	Run func(*Pass)
}

// Pass carries one run's inputs to a rule and collects its findings.
type Pass struct {
	Configs []*ast.Config
	// Env is what the run knows besides the configs; rules must work with
	// the zero value.
	Env      Env
	rule     *Rule
	run      *runState // shared by the passes of one Run
	findings []Finding
}

// runState holds what the rules of one run compute once and share.
type runState struct {
	apache      *apachemodel.Model
	apacheBuilt bool
}

// Report records a finding for the running rule; severity defaults to the
// rule's own.
func (p *Pass) Report(f Finding) {
	if f.Rule == "" && p.rule != nil {
		f.Rule = p.rule.ID
	}
	if f.Severity == 0 && p.rule != nil {
		f.Severity = p.rule.Severity
	}
	p.findings = append(p.findings, f)
}

// registry is every rule, keyed by id.
var registry = map[string]*Rule{}

// Register adds a rule; ids are unique.
func Register(r *Rule) {
	if _, dup := registry[r.ID]; dup {
		panic("rules: duplicate id " + r.ID)
	}
	registry[r.ID] = r
}

// All returns every rule sorted by id.
func All() []*Rule {
	out := make([]*Rule, 0, len(registry))
	for _, r := range registry {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Lookup finds a rule by id.
func Lookup(id string) (*Rule, bool) {
	r, ok := registry[id]
	return r, ok
}

// Env is what a run knows besides the configs, for rules that map the
// paths a config names to the files of the run (the Apache model: which
// .htaccess sits in DocumentRoot).
type Env struct {
	// Policy is the URL policy of .authlint.yaml; nil when there is none.
	Policy *Policy
	// Resolver is how the run mapped config paths to files (--root,
	// sysroot); nil: the Apache model derives one from the main configs'
	// places.
	Resolver *paths.Resolver
	// DocRoot stands for DocumentRoot in a run with .htaccess files only:
	// .authlint.yaml's docroot, else the scanned root; "": guessed from
	// var/www/html, public_html, htdocs.
	DocRoot string
}

// Run runs every rule with a Run function over the configs. A rule may
// meet the same directive through several servers or locations (a
// server-wide directive, a snippet included twice); each finding is kept
// once per rule and position.
func Run(configs []*ast.Config, env Env) []Finding {
	type key struct {
		rule, file string
		line, col  int
	}
	seen := map[key]bool{}
	state := &runState{}
	var out []Finding
	for _, r := range All() {
		if r.Run == nil || (defersToPolicy[r.ID] && !env.Policy.Empty()) {
			continue
		}
		p := &Pass{Configs: configs, Env: env, rule: r, run: state}
		runGuarded(p)
		for _, f := range p.findings {
			k := key{f.Rule, f.Pos.File, f.Pos.Line, f.Pos.Col}
			if !seen[k] {
				seen[k] = true
				out = append(out, f)
			}
		}
	}
	return out
}

// FromProblem turns a parser or loader problem into a finding of the
// built-in rule with the same id.
func FromProblem(p ast.Problem) Finding {
	sev := Error
	if r, ok := Lookup(p.Code); ok {
		sev = r.Severity
	}
	f := Finding{Rule: p.Code, Severity: sev, Pos: p.Pos, End: p.End, Message: p.Message, Hint: p.Hint}
	for _, r := range p.Related {
		f.Related = append(f.Related, Related(r))
	}
	return f
}

// InternalError marks the finding a rule reports about itself when it
// fails on some input: the other rules and the run go on.
const InternalError = "internal error in rule "

// runGuarded runs one rule so that a bug in it on an odd config costs that
// rule's findings, never the run.
func runGuarded(p *Pass) {
	defer func() {
		if r := recover(); r != nil {
			var at ast.Pos
			if len(p.Configs) > 0 {
				at = ast.Pos{File: p.Configs[0].Entry}
			}
			p.Report(Finding{
				Severity: Info, Pos: at,
				Message: fmt.Sprintf("%s%s, its check was skipped (please report it): %v", InternalError, p.rule.ID, r),
			})
		}
	}()
	p.rule.Run(p)
}
