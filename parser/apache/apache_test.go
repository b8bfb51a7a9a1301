package apache

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/authlint/authlint/parser/ast"
)

// apacheBinary finds httpd. Without it the comparison tests skip, except
// under CI=true, where the real server must be there.
func apacheBinary(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"apache2", "/usr/sbin/apache2", "httpd", "/usr/sbin/httpd"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("apache2 not found; CI=true requires the comparison with the real server")
	}
	t.Skip("apache2 not installed: skipping the comparison with apache2 -t")
	return ""
}

// mpmArgs load an MPM and silence the error log before the configuration is
// read, so that `apache2 -t` on a bare snippet runs the directive handlers
// too (some errors, such as a missing '>', come from them) and ends in
// "Syntax OK". Without a loadable MPM module the check stops at "No MPM
// loaded" after reading, which still shows the structural errors.
func mpmArgs() []string {
	for _, dir := range []string{"/usr/lib/apache2/modules", "/usr/lib64/httpd/modules", "/usr/lib/httpd/modules"} {
		so := filepath.Join(dir, "mod_mpm_event.so")
		if _, err := os.Stat(so); err != nil {
			continue
		}
		args := []string{"-C", "LoadModule mpm_event_module " + so, "-C", "ErrorLog /dev/null"}
		if macro := filepath.Join(dir, "mod_macro.so"); fileExists(macro) {
			args = append(args, "-C", "LoadModule macro_module "+macro)
		}
		return args
	}
	return nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// apacheTest runs `apache2 -t` on entry with ServerRoot root and returns its
// output; the exit status says no more than the output.
func apacheTest(t *testing.T, bin, entry, root string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), bin, append([]string{"-t", "-f", entry, "-d", root}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil && len(out) == 0 {
		t.Fatalf("%s: %v", bin, err)
	}
	return string(out)
}

var syntaxError = regexp.MustCompile(`Syntax error on line (\d+) of ([^:\n]+):`)

// innermostError returns the file, line and message of the innermost
// "Syntax error on line N of FILE:" (includes nest them), or ok false.
func innermostError(out string) (file string, line int, msg string, ok bool) {
	ms := syntaxError.FindAllStringSubmatchIndex(out, -1)
	if len(ms) == 0 {
		return "", 0, "", false
	}
	m := ms[len(ms)-1]
	line, _ = strconv.Atoi(out[m[2]:m[3]])
	return out[m[4]:m[5]], line, strings.TrimSpace(out[m[1]:]), true
}

// TestApacheAgrees writes small configurations, runs apache2 -t on each and
// checks that the loader reports the same error at the same file and line
// (or, for lint-only findings, that Apache indeed accepts the file).
func TestApacheAgrees(t *testing.T) {
	bin := apacheBinary(t)
	cases := []struct {
		name  string
		files map[string]string // "main.conf" is the entry
		code  string            // the problem we report, "" for none
		// sameWords: our message is Apache's own wording.
		sameWords bool
		// lintOnly: Apache accepts the file; our finding is ours alone.
		lintOnly bool
	}{
		{
			name: "end tag of another section", files: map[string]string{"main.conf": "<Directory /x>\nOptions None\n</Files>\n"},
			code: ast.CodeParseError, sameWords: true,
		},
		{
			name: "end tag with nothing open", files: map[string]string{"main.conf": "Options None\n\n</Directory>\n"},
			code: ast.CodeParseError, sameWords: true,
		},
		{
			name: "section left open", files: map[string]string{"main.conf": "Options None\n<Directory /x>\nOptions None\n"},
			code: ast.CodeParseError, sameWords: true,
		},
		{
			name: "nested sections left open", files: map[string]string{"main.conf": "<Directory /x>\n<Files a>\n"},
			code: ast.CodeParseError, sameWords: true,
		},
		{
			name: "start tag without >", files: map[string]string{"main.conf": "<Directory /x\nOptions None\n</Directory>\n"},
			code: ast.CodeParseError, sameWords: true,
		},
		{
			name: "end tag with arguments", files: map[string]string{"main.conf": "<Directory /x>\n</Directory foo>\n"},
			code: ast.CodeParseError, sameWords: true,
		},
		{
			name: "continuation lines count", files: map[string]string{"main.conf": "ServerAdmin a\\\n  b\n<Directory /x>\n</Files>\n"},
			code: ast.CodeParseError, sameWords: true,
		},
		{
			name: "CRLF", files: map[string]string{"main.conf": "ServerAdmin a\\\r\n  b\r\n<Directory /x>\r\n</Files>\r\n"},
			code: ast.CodeParseError, sameWords: true,
		},
		{name: "error in an included file", files: map[string]string{
			"main.conf": "Options None\nInclude sub.conf\n", "sub.conf": "\n<Files a>\n</Directory>\n",
		}, code: ast.CodeParseError, sameWords: true},
		{name: "section may not span files", files: map[string]string{
			"main.conf": "<Directory /x>\nInclude open.conf\n</Directory>\n", "open.conf": "<Files a>\n",
		}, code: ast.CodeParseError, sameWords: true},
		{name: "byte order mark", files: map[string]string{"main.conf": bom + "Options None\n"}, code: ast.CodeParseError},
		{name: "missing include", files: map[string]string{"main.conf": "Options None\nInclude nope.conf\n"}, code: ast.CodeIncludeNotFound},
		{
			name: "wildcard matching nothing", files: map[string]string{"main.conf": "Include d/*.conf\n", "d/x.txt": "Options None\n"},
			code: ast.CodeIncludeNotFound,
		},
		{name: "wildcard in a missing directory", files: map[string]string{"main.conf": "\nInclude nodir/*.conf\n"}, code: ast.CodeIncludeNotFound},
		{
			name: "middle wildcard, file missing", files: map[string]string{"main.conf": "Include d/*/x.conf\n", "d/a/x.conf": "Options None\n", "d/b/y.conf": ""},
			code: ast.CodeIncludeNotFound,
		},
		{name: "include cycle", files: map[string]string{"main.conf": "Include b.conf\n", "b.conf": "Include main.conf\n"}, code: ast.CodeIncludeCycle},
		{name: "optional includes", files: map[string]string{"main.conf": "IncludeOptional nope.conf\nIncludeOptional nodir/*.conf\nIncludeOptional d/*.conf\n", "d/x.txt": ""}},
		{name: "wildcards and directories", files: map[string]string{
			"main.conf": "Include d\nInclude e/*.conf\nInclude f/*/x.conf\n",
			"d/.h.conf": "Options None\n", "d/s/a.conf": "<Directory /x>\n</Directory>\n",
			"e/a.conf": "Options None\n", "e/.hidden.conf": "</Directory>\n", "f/a/x.conf": "\n", "f/b": "",
		}},
		{name: "quotes, escapes and continuations", files: map[string]string{"main.conf": "Define X \"a \\\" b\" \nDefine Y 'c\\'d'\n" +
			"ServerName a\\\nb\n<Directory \"/x y\">\n  Options \\\n    None\n</directory>\n"}},
		{name: "a commented line ending in a backslash swallows the next", files: map[string]string{"main.conf": "# x \\\n</Directory>\n"}},
		{name: "Define and ${VAR} in an include path", files: map[string]string{
			"main.conf": "Define SUB inc\nInclude ${SUB}/a.conf\n", "inc/a.conf": "Options None\n",
		}},
		{name: "macro", files: map[string]string{
			"main.conf": "<Macro M $d>\n<Directory $d>\nOptions None\n</Directory>\n</Macro>\nUse M /a\nUse M /b\n",
		}},
		{name: "macro used with too few arguments", files: map[string]string{
			"main.conf": "<Macro M $d $e>\n<Directory $d>\n</Directory>\n</Macro>\n\nUse M /a\n",
		}, code: ast.CodeParseError},
		{name: "unterminated quote is accepted", files: map[string]string{"main.conf": "ServerAdmin \"abc\n"}},
		{name: "text after a tag's > is dropped silently", files: map[string]string{"main.conf": "<Directory /x> Options None\n</Directory>\n"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if strings.HasPrefix(tc.name, "macro") && !slices.ContainsFunc(mpmArgs(), func(a string) bool { return strings.Contains(a, "macro_module") }) {
				t.Skip("mod_macro.so not found")
			}
			root := t.TempDir()
			for name, body := range tc.files {
				p := filepath.Join(root, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			entry := filepath.Join(root, "main.conf")
			out := apacheTest(t, bin, entry, root, nil, mpmArgs()...)
			cfg := NewLoader(nil, nil).Load(entry, "server")
			ours := problemLines(cfg.Problems)
			file, line, msg, failed := innermostError(out)

			switch {
			case tc.code == ast.CodeIncludeCycle:
				// httpd truncates the 128 nested messages before the last one.
				if !strings.Contains(out, "recursion") && strings.Count(out, "Syntax error") < 50 {
					t.Fatalf("apache2 -t did not find the recursion:\n%s", out)
				}
			case failed && tc.lintOnly:
				t.Fatalf("lint-only case, yet apache2 -t fails:\n%s", out)
			case failed && tc.code == "":
				t.Fatalf("apache2 -t fails but we expect no problem:\n%s", out)
			case !failed && !strings.Contains(out, "Syntax OK") && !strings.Contains(out, "No MPM loaded"):
				t.Fatalf("apache2 -t stopped for another reason:\n%s", out)
			case !failed && !tc.lintOnly && tc.code != "":
				t.Fatalf("apache2 -t accepts the file, expected %s:\n%s", tc.code, out)
			}

			if tc.code == "" {
				if len(cfg.Problems) != 0 {
					t.Errorf("problems %q; apache2 -t accepts it", ours)
				}
				return
			}
			match := false
			for _, p := range cfg.Problems {
				if p.Code != tc.code {
					continue
				}
				if !failed || tc.code == ast.CodeIncludeCycle {
					match = true
					continue
				}
				// httpd names the last line of a continued directive.
				inLines := line >= p.Pos.Line && line <= max(p.End.Line, p.Pos.Line)
				if filepath.Clean(p.Pos.File) == filepath.Clean(file) && inLines && (!tc.sameWords || strings.Contains(msg, p.Message)) {
					match = true
				}
			}
			if !match {
				t.Errorf("apache2 -t: %s:%d: %s\nours: %q", file, line, msg, ours)
			}
		})
	}
}

var includedLine = regexp.MustCompile(`(?m)^\s*\((\d+)\) (\S.*)$`)

// TestApacheIncludeOrder compares the files the loader splices, with their
// include lines, to apache2 -t -D DUMP_INCLUDES.
func TestApacheIncludeOrder(t *testing.T) {
	bin := apacheBinary(t)
	debian, err := filepath.Abs(fixture("debian", "etc", "apache2"))
	if err != nil {
		t.Fatal(err)
	}
	run := t.TempDir()
	debianEnv := []string{
		"APACHE_RUN_DIR=" + run, "APACHE_LOCK_DIR=" + run, "APACHE_LOG_DIR=" + run,
		"APACHE_PID_FILE=" + filepath.Join(run, "pid"), "APACHE_RUN_USER=www-data", "APACHE_RUN_GROUP=www-data",
	}
	cases := []struct {
		entry string
		env   []string
	}{
		{entry: fixture("splice", "main.conf")},
		{entry: fixture("glob", "main.conf")},
		{entry: fixture("define", "main.conf")},
		{entry: filepath.Join(debian, "apache2.conf"), env: debianEnv},
	}
	for _, tc := range cases {
		entry, err := filepath.Abs(tc.entry)
		if err != nil {
			t.Fatal(err)
		}
		out := apacheTest(t, bin, entry, filepath.Dir(entry), tc.env, "-D", "DUMP_INCLUDES")
		if _, _, msg, failed := innermostError(out); failed {
			t.Fatalf("%s: apache2 -t fails: %s", tc.entry, msg)
		}
		var want []string
		for _, m := range includedLine.FindAllStringSubmatch(out, -1) {
			want = append(want, m[1]+" "+m[2])
		}
		var got []string
		l := NewLoader(nil, nil)
		l.onInclude = func(site *ast.Node, file string) {
			got = append(got, strconv.Itoa(site.Pos.Line)+" "+file)
		}
		cfg := l.Load(entry, "server")
		if len(cfg.Problems) != 0 {
			t.Errorf("%s: problems %q", tc.entry, problemLines(cfg.Problems))
		}
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("%s: spliced\n%s\napache2 -D DUMP_INCLUDES:\n%s", tc.entry, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}
