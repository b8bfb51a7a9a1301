package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/authlint/authlint/parser/ast"
	"github.com/authlint/authlint/rules"
)

func sampleFindings() []rules.Finding {
	return []rules.Finding{
		{
			Rule: "site-wide-auth", Severity: rules.Warning,
			Pos: ast.Pos{File: "/repo/deploy/nginx.conf", Line: 7, Col: 9}, End: ast.Pos{File: "/repo/deploy/nginx.conf", Line: 7, Col: 29},
			Message: "GET / asks for credentials", Hint: "move it",
			Related: []rules.Related{{Pos: ast.Pos{File: "/repo/deploy/nginx.conf", Line: 9, Col: 5}, Message: "served here"}},
		},
		{Rule: "file-skipped", Severity: rules.Info, Pos: ast.Pos{File: "/repo/big.conf"}, Message: "larger than 10 MiB"},
		{Rule: "parse-error", Severity: rules.Error, Pos: ast.Pos{File: "/repo/a.conf", Line: 3, Col: 1}, Message: "unexpected \"}\""},
	}
}

// TestSARIF checks the log against the SARIF 2.1.0 schema (as read back
// from the written bytes) and against GitHub code scanning's required
// fields.
func TestSARIF(t *testing.T) {
	var buf bytes.Buffer
	if err := SARIF(&buf, sampleFindings(), "v1.2.3", Options{WorkDir: "/repo"}); err != nil {
		t.Fatal(err)
	}
	back, err := sarif.FromBytes(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if err := back.Validate(); err != nil {
		t.Fatalf("written log fails the schema: %v", err)
	}
	var log struct {
		Schema  string `json:"$schema"`
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name, Version, SemanticVersion string
					Rules                          []struct {
						ID                                string
						ShortDescription, FullDescription struct{ Text string }
						Help                              struct{ Text, Markdown string }
						DefaultConfiguration              struct{ Level string }
						Properties                        map[string]any
					}
				}
			}
			AutomationDetails struct{ ID string }
			Results           []struct {
				RuleID    string
				RuleIndex int
				Level     string
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine, StartColumn, EndLine, EndColumn int }
					}
				}
				RelatedLocations []any
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || log.Schema == "" || len(log.Runs) != 1 {
		t.Fatalf("log header %+v", log)
	}
	run := log.Runs[0]
	if run.Tool.Driver.Name != "authlint" || run.Tool.Driver.SemanticVersion != "1.2.3" || run.AutomationDetails.ID != "authlint/" {
		t.Fatalf("driver %+v", run.Tool.Driver)
	}
	if len(run.Tool.Driver.Rules) != len(rules.All()) {
		t.Fatalf("%d rules, want every registered rule", len(run.Tool.Driver.Rules))
	}
	for _, r := range run.Tool.Driver.Rules {
		if r.ID == "" || r.ShortDescription.Text == "" || r.FullDescription.Text == "" || r.Help.Text == "" || r.Help.Markdown == "" ||
			r.DefaultConfiguration.Level == "" || r.Properties["security-severity"] == "" || len(r.FullDescription.Text) > 1024 {
			t.Errorf("rule %s lacks a field GitHub requires: %+v", r.ID, r)
		}
	}
	if len(run.Results) != 3 {
		t.Fatalf("%d results", len(run.Results))
	}
	first := run.Results[0]
	if first.RuleID != "site-wide-auth" || run.Tool.Driver.Rules[first.RuleIndex].ID != "site-wide-auth" || first.Level != "warning" ||
		!strings.HasPrefix(first.Message.Text, "GET / asks") || len(first.RelatedLocations) != 1 {
		t.Fatalf("result %+v", first)
	}
	loc := first.Locations[0].PhysicalLocation
	if loc.ArtifactLocation.URI != "deploy/nginx.conf" || loc.Region.StartLine != 7 || loc.Region.StartColumn != 9 || loc.Region.EndColumn != 30 {
		t.Fatalf("location %+v", loc)
	}
	if run.Results[1].Level != "note" || run.Results[1].Locations[0].PhysicalLocation.Region.StartLine != 1 {
		t.Fatalf("a file-level finding still needs a region: %+v", run.Results[1])
	}
}

func TestGitHubEscaping(t *testing.T) {
	f := rules.Finding{
		Rule: "parse-error", Severity: rules.Error,
		Pos:     ast.Pos{File: "/repo/odd:name,1%.conf", Line: 4, Col: 2},
		End:     ast.Pos{File: "/repo/odd:name,1%.conf", Line: 4, Col: 10},
		Message: "bad 100% value\r\n::set-output name=x::y ##[error]z",
	}
	var buf bytes.Buffer
	if err := GitHub(&buf, []rules.Finding{f}, Options{WorkDir: "/repo"}, nil); err != nil {
		t.Fatal(err)
	}
	want := "::error file=odd%3Aname%2C1%25.conf,line=4,endLine=4,col=2,endColumn=10,title=authlint (parse-error)::" +
		"bad 100%25 value%0D%0A::set-output name=x::y #\u200d#[error]z\n"
	if buf.String() != want {
		t.Fatalf("got  %q\nwant %q", buf.String(), want)
	}
	for line := range strings.SplitSeq(strings.TrimSuffix(buf.String(), "\n"), "\n") {
		if strings.Contains(line, "##[") || !strings.HasPrefix(line, "::error ") {
			t.Fatalf("injectable line %q", line)
		}
	}
}

func TestGitHubLimitsAndSummary(t *testing.T) {
	var findings []rules.Finding
	for i := range 25 {
		findings = append(findings, rules.Finding{Rule: "parse-error", Severity: rules.Error, Pos: ast.Pos{File: "a.conf", Line: i + 1, Col: 1}, Message: "m|x"})
	}
	findings = append(findings, rules.Finding{Rule: "file-skipped", Severity: rules.Info, Pos: ast.Pos{File: "b.conf"}, Message: "skipped"})
	var out, summary bytes.Buffer
	if err := GitHub(&out, findings, Options{}, &summary); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 12 || strings.Count(out.String(), "::error ") != 10 || !strings.HasPrefix(lines[10], "::notice file=b.conf,title=") {
		t.Fatalf("annotations:\n%s", out.String())
	}
	if !strings.HasPrefix(lines[11], "::notice title=authlint::authlint: 15 more findings") {
		t.Fatalf("overflow notice %q", lines[11])
	}
	if strings.Count(summary.String(), "\n| error | `parse-error` |") != 25 || !strings.Contains(summary.String(), `m\|x`) {
		t.Fatalf("summary:\n%s", summary.String())
	}
}
