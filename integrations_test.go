package authlint_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestActionPassesInputsThroughEnv: a composite action must not expand
// ${{ }} inside run: (that is shell injection); inputs go through env.
func TestActionPassesInputsThroughEnv(t *testing.T) {
	var action struct {
		Inputs map[string]struct{ Default string }
		Runs   struct {
			Using string
			Steps []struct {
				Run string
				Env map[string]string
			}
		}
	}
	b, err := os.ReadFile("action.yml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &action); err != nil {
		t.Fatal(err)
	}
	if action.Runs.Using != "composite" {
		t.Fatalf("using %q", action.Runs.Using)
	}
	for _, in := range []string{"version", "args", "format", "fail-on", "config", "sarif-file"} {
		if _, ok := action.Inputs[in]; !ok {
			t.Errorf("input %s missing", in)
		}
	}
	for i, st := range action.Runs.Steps {
		if strings.Contains(st.Run, "${{") {
			t.Errorf("step %d expands an expression inside run:", i)
		}
	}
	if !strings.Contains(string(b), "go install \"github.com/authlint/authlint/cmd/authlint@") {
		t.Error("the action must install authlint with go install")
	}
}

// TestPreCommitFilesPattern checks the hook's files regex on typical names.
func TestPreCommitFilesPattern(t *testing.T) {
	var hooks []struct {
		ID, Language, Files string
		RequireSerial       bool `yaml:"require_serial"`
	}
	b, err := os.ReadFile(".pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &hooks); err != nil {
		t.Fatal(err)
	}
	if len(hooks) != 1 || hooks[0].ID != "authlint" || hooks[0].Language != "golang" || !hooks[0].RequireSerial {
		t.Fatalf("hooks %+v", hooks)
	}
	re := regexp.MustCompile(hooks[0].Files)
	for name, want := range map[string]bool{
		"nginx.conf": true, "deploy/nginx/nginx.conf": true, "etc/nginx/sites-available/default": true,
		"conf.d/app.conf": true, "public/.htaccess": true, "apache2/mods-enabled/ssl.load": true,
		"etc/apache2/apache2.conf": true, "README.md": false, "main.go": false, "public/index.html": false,
	} {
		if re.MatchString(name) != want {
			t.Errorf("files pattern on %q = %v, want %v", name, !want, want)
		}
	}
}
