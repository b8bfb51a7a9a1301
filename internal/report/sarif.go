package report

import (
	"bytes"
	"io"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report"
	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/authlint/authlint/rules"
)

// informationURI is the project's home, shown by SARIF viewers.
const informationURI = "https://github.com/authlint/authlint"

// securitySeverity maps a rule's default severity to GitHub code
// scanning's security-severity score (a string, 0.1-10.0).
var securitySeverity = map[rules.Severity]string{rules.Error: "8.0", rules.Warning: "5.5", rules.Info: "2.0"}

// sarifLevel maps severities to SARIF result levels.
func sarifLevel(s rules.Severity) string {
	switch s {
	case rules.Error:
		return "error"
	case rules.Warning:
		return "warning"
	default:
		return "note"
	}
}

// SARIF writes a SARIF 2.1.0 log for GitHub code scanning: one run, every
// registered rule with its documentation, one result per finding with a
// path relative to WorkDir (the repository root in CI). It validates the
// log against the SARIF 2.1.0 schema before writing it.
func SARIF(w io.Writer, findings []rules.Finding, version string, opts Options) error {
	run := sarif.NewRunWithInformationURI("authlint", informationURI)
	run.Tool.Driver.WithVersion(version)
	if sem := strings.TrimPrefix(strings.Fields(version + " ")[0], "v"); sem != "" && sem != "(devel)" {
		run.Tool.Driver.WithSemanticVersion(sem)
	}
	run.WithAutomationDetails(sarif.NewRunAutomationDetails().WithID("authlint/"))
	for _, r := range rules.All() {
		props := sarif.NewPropertyBag()
		props.Add("tags", append([]string{"security", "authentication"}, kindNames(r)...))
		props.Add("precision", "high")
		props.Add("security-severity", securitySeverity[r.Severity])
		run.AddRule(r.ID).
			WithName(ruleName(r.ID)).
			WithDescription(r.Summary).
			WithFullDescription(sarif.NewMultiformatMessageString().WithText(fullDescription(r))).
			WithHelpURI(informationURI + "/blob/main/rules/docs/" + r.ID + ".md").
			WithMarkdownHelp(r.Doc).
			WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(r.Severity))).
			WithProperties(props)
	}
	for i := range findings {
		f := &findings[i]
		res := run.CreateResultForRule(f.Rule).
			WithLevel(sarifLevel(f.Severity)).
			WithMessage(sarif.NewTextMessage(resultMessage(f))).
			AddLocation(sarifLocation(opts, f.Pos.File, f.Pos.Line, f.Pos.Col, endOf(f).Line, endOf(f).Col, ""))
		for _, r := range f.Related {
			res.AddRelatedLocation(sarifLocation(opts, r.Pos.File, r.Pos.Line, r.Pos.Col, r.Pos.Line, r.Pos.Col, r.Message))
		}
	}
	log := report.NewV210Report()
	log.Schema = "https://json.schemastore.org/sarif-2.1.0.json"
	log.AddRun(run)
	if err := log.Validate(); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := log.PrettyWrite(&buf); err != nil {
		return err
	}
	// As in JSON output: `##[` only occurs inside strings, and written as
	// `#\u0023[` it reads back the same but is no runner command when the
	// log is printed in a GitHub Actions job.
	_, err := w.Write(bytes.ReplaceAll(buf.Bytes(), []byte("##["), []byte(`#\u0023[`)))
	return err
}

func resultMessage(f *rules.Finding) string {
	if f.Hint == "" {
		return f.Message
	}
	return f.Message + ". Fix: " + f.Hint
}

func sarifLocation(opts Options, file string, line, col, endLine, endCol int, msg string) *sarif.Location {
	if line < 1 {
		line, endLine = 1, 1
	}
	region := sarif.NewRegion().WithStartLine(line).WithEndLine(max(endLine, line))
	if col > 0 {
		region.WithStartColumn(col)
		if endLine == line && endCol >= col {
			region.WithEndColumn(endCol + 1) // SARIF end columns are exclusive
		}
	}
	loc := sarif.NewLocationWithPhysicalLocation(sarif.NewPhysicalLocation().
		WithArtifactLocation(sarif.NewSimpleArtifactLocation(opts.displayPath(file))).
		WithRegion(region))
	if msg != "" {
		loc.WithMessage(sarif.NewTextMessage(msg))
	}
	return loc
}

// fullDescription is the first paragraph of the rule's "Why it matters",
// cut to the 1024 characters GitHub accepts.
func fullDescription(r *rules.Rule) string {
	text := r.Summary
	if _, after, ok := strings.Cut(r.Doc, "## Why it matters\n"); ok {
		para, _, _ := strings.Cut(strings.TrimSpace(after), "\n\n")
		text = strings.Join(strings.Fields(para), " ")
	}
	if len(text) > 1024 {
		text = text[:1021] + "..."
	}
	return text
}

// ruleName turns an id into the PascalCase name SARIF viewers show.
func ruleName(id string) string {
	var b strings.Builder
	for part := range strings.SplitSeq(id, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

func kindNames(r *rules.Rule) []string {
	out := make([]string, len(r.Servers))
	for i, k := range r.Servers {
		out[i] = string(k)
	}
	return out
}
