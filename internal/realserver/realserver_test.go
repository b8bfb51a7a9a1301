package realserver

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authlint/authlint/fixtures"
	"github.com/authlint/authlint/rules"
)

// fixturesDir is the repository's fixture root, seen from this package.
const fixturesDir = "../../fixtures"

// runtimeRules are the rules whose catalog entry describes what a server
// does at runtime; every bad*/good* tree of theirs must carry a probe.yaml
// (or be listed in unprobed with the reason).
var runtimeRules = []string{
	"site-wide-auth",
	"nginx-auth-basic-no-user-file",
	"nginx-upstream-authorization-dropped",
	"auth-blocks-cors-preflight",
	"nginx-auth-location-shadowed",
	"nginx-satisfy-any-open",
	"nginx-rewrite-phase-before-auth",
	"auth-file-web-exposed",
	"policy-protected-path-open",
	"policy-public-path-requires-auth",
	"apache-backend-authorization-dropped",
	"htaccess-auth-in-public-dir",
	"htaccess-auth-ignored",
	"htaccess-auth-causes-500",
	"apache-limit-partial-methods",
	"apache-require-or-grants-all",
	"apache-satisfy-any-bypass",
	"apache-later-section-overrides-auth",
	"apache-auth-incomplete",
}

// unprobed are trees of runtime rules that cannot be run as they are, and why.
var unprobed = map[string]string{
	"htaccess-auth-in-public-dir/bad-htaccess-only-web-root": htaccessOnly,
	"htaccess-auth-in-public-dir/good-htaccess-only-private": htaccessOnly,
	"htaccess-auth-ignored/good-htaccess-only":               htaccessOnly,
}

// htaccessOnly: these trees test what authlint concludes from an .htaccess
// with no server config at all; which server reads it, and with what
// AllowOverride, is exactly what they leave open, so no run would be faithful.
const htaccessOnly = "an .htaccess without any server config: there is no server to start"

// TestRealServers runs every fixture tree that has a probe.yaml on the real
// server it is written for, checks each answer against the probe, and
// checks that authlint reports the tree's rule exactly at the expected
// lines (bad trees) or not at all (good trees).
//
// A broken claim fails. Make the bad fixture's server do the right thing,
// for instance give the realm its user file:
//
//	sed -i 's|auth_basic "Admin area";|& auth_basic_user_file htpasswd;|' fixtures/nginx-auth-basic-no-user-file/bad-location/nginx.conf
//	go test ./internal/realserver/ -count=1 -run 'TestRealServers/nginx-auth-basic-no-user-file/bad-location'
//	git checkout fixtures/nginx-auth-basic-no-user-file/bad-location/nginx.conf
//
// and the test reports `GET /admin/: status 401, want 200` (nginx now asks
// for the password, so the claim "silently public" no longer holds) and
// that authlint no longer reports the rule at nginx.conf:7.
func TestRealServers(t *testing.T) {
	trees, err := filepath.Glob(filepath.Join(fixturesDir, "*", "*", ProbeFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(trees) == 0 {
		t.Fatal("no probe.yaml under fixtures/")
	}
	for _, pf := range trees {
		tree := filepath.Dir(pf)
		rule, name := filepath.Base(filepath.Dir(tree)), filepath.Base(tree)
		t.Run(rule+"/"+name, func(t *testing.T) {
			t.Parallel()
			p, err := loadProbe(pf)
			if err != nil {
				t.Fatal(err)
			}
			if !fileExists(filepath.Join(tree, p.Config)) {
				t.Fatalf("%s names %s, which the tree does not have", ProbeFile, p.Config)
			}
			checkFindings(t, tree, rule, strings.HasPrefix(name, "bad"))
			bin := serverBinary(t, p.Server)
			b := startBackends(t)
			s := startServer(t, bin, tree, p, b)
			for _, r := range p.Requests {
				for _, d := range s.probe(t, r, b) {
					t.Errorf("%s: %s%s", r, d, why(r))
				}
			}
		})
	}
}

func why(r request) string {
	if r.Why == "" {
		return ""
	}
	return " (" + r.Why + ")"
}

// TestEveryRuntimeTreeIsProbed keeps the real-server suite from silently
// missing a new fixture of a runtime rule.
func TestEveryRuntimeTreeIsProbed(t *testing.T) {
	for _, rule := range runtimeRules {
		if _, ok := rules.Lookup(rule); !ok {
			t.Errorf("runtimeRules names %s, which is not a rule", rule)
		}
		dirs, _ := filepath.Glob(filepath.Join(fixturesDir, rule, "*"))
		for _, d := range dirs {
			name := filepath.Base(d)
			if st, err := os.Stat(d); err != nil || !st.IsDir() || !strings.HasPrefix(name, "bad") && !strings.HasPrefix(name, "good") {
				continue
			}
			if _, err := os.Stat(filepath.Join(d, ProbeFile)); err == nil {
				continue
			}
			if reason, ok := unprobed[rule+"/"+name]; ok {
				t.Logf("%s/%s is not run on a real server: %s", rule, name, reason)
				continue
			}
			t.Errorf("fixtures/%s/%s has no %s (or an unprobed entry saying why)", rule, name, ProbeFile)
		}
	}
}

// checkFindings runs authlint over the original tree: a bad tree must get
// its rule exactly at the lines its expected file lists, a good tree none.
func checkFindings(t *testing.T, tree, rule string, bad bool) {
	t.Helper()
	res, err := fixtures.Lint(tree, []string{tree})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Findings {
		if f.Rule != rule {
			continue
		}
		rel, err := filepath.Rel(tree, f.Pos.File)
		if err != nil {
			rel = f.Pos.File
		}
		got = append(got, fmt.Sprintf("%s:%d", filepath.ToSlash(rel), f.Pos.Line))
	}
	slices.Sort(got)
	want := expectedLines(t, tree, rule)
	if bad && len(want) == 0 {
		t.Errorf("a bad tree must expect %s somewhere", rule)
	}
	if !bad && len(want) > 0 {
		t.Errorf("a good tree must not expect %s", rule)
	}
	if !slices.Equal(got, want) {
		t.Errorf("authlint reports %s at %q, want %q", rule, got, want)
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// expectedLines reads the `path:line` positions the tree's expected file
// lists for rule (`rule path:line`, `#` comments).
func expectedLines(t *testing.T, tree, rule string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(tree, "expected"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		if fs := strings.Fields(line); len(fs) == 2 && fs[0] == rule {
			out = append(out, fs[1])
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// closedStatus in a probe means nginx's 444: the connection is closed
// without any response.
const closedStatus = 444

// client talks to the servers without following redirects, without
// keep-alive (so a stopping server has no idle connections) and without
// any proxy from the environment.
var client = &http.Client{
	Transport:     &http.Transport{Proxy: nil, DisableKeepAlives: true},
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Timeout:       30 * time.Second, // a hung server fails the probe instead of the whole run
}

// probe sends one request and returns how the answer, and what the back
// end received, differ from the probe's expectations.
func (s *server) probe(t *testing.T, r request, b *backends) []string {
	t.Helper()
	port := r.Port
	if port == 0 {
		ports := make([]int, 0, len(s.ports))
		for p := range s.ports {
			ports = append(ports, p)
		}
		port = slices.Min(ports)
	}
	realPort, ok := s.ports[port]
	if !ok {
		return []string{fmt.Sprintf("the fixture does not listen on %d", port)}
	}
	b.rec.take() // nothing from an earlier probe
	req, err := http.NewRequestWithContext(t.Context(), r.Method, "http://127.0.0.1:"+strconv.Itoa(realPort)+r.Path, http.NoBody)
	if err != nil {
		return []string{err.Error()}
	}
	for k, v := range r.Headers {
		if strings.EqualFold(k, "Host") {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	if user, pass, ok := strings.Cut(r.Auth, ":"); ok {
		req.SetBasicAuth(user, pass)
	}
	resp, err := client.Do(req)
	if err != nil {
		// nginx's `return 444` closes the connection without an answer.
		if r.Status == closedStatus && errors.Is(err, io.EOF) {
			return backendDiffs(r.Backend, b.rec.take())
		}
		return []string{err.Error()}
	}
	if r.Status == closedStatus {
		return []string{fmt.Sprintf("status %d, want the connection closed without a response (444)", resp.StatusCode)}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	_ = resp.Body.Close()
	if err != nil {
		return []string{"reading the body: " + err.Error()}
	}

	if rc, ok := cgiReceived(resp.Header); ok {
		b.rec.add(rc)
	}
	var diffs []string
	if resp.StatusCode != r.Status {
		diffs = append(diffs, fmt.Sprintf("status %d, want %d", resp.StatusCode, r.Status))
	}
	if r.Body != "" && !strings.Contains(string(body), r.Body) {
		diffs = append(diffs, fmt.Sprintf("body %.200q does not contain %q", body, r.Body))
	}
	for k, want := range r.Response {
		got := strings.Join(resp.Header.Values(k), ", ")
		if got != want {
			diffs = append(diffs, fmt.Sprintf("response header %s = %q, want %q", k, got, want))
		}
	}
	return append(diffs, backendDiffs(r.Backend, b.rec.take())...)
}

// backendDiffs compares what the back ends received during one probe with
// what the probe expects.
func backendDiffs(w *backendWant, got []received) []string {
	if w == nil {
		return nil
	}
	reach := w.Reached == nil || *w.Reached
	switch {
	case !reach && len(got) > 0:
		return []string{fmt.Sprintf("the %s back end was reached, want not", got[0].via)}
	case !reach:
		return nil
	case len(got) == 0:
		return []string{"no back end was reached"}
	case len(got) > 1:
		return []string{fmt.Sprintf("back ends reached %d times, want once", len(got))}
	}
	var diffs []string
	g := got[0]
	if w.Via != "" && g.via != w.Via {
		diffs = append(diffs, fmt.Sprintf("reached the %s back end, want %s", g.via, w.Via))
	}
	if w.Authorization != nil && g.authorization() != *w.Authorization {
		diffs = append(diffs, fmt.Sprintf("%s back end received Authorization %q, want %q", g.via, g.authorization(), *w.Authorization))
	}
	return diffs
}
