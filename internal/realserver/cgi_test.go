package realserver

import (
	"io"
	"net/http"
	"net/http/cgi"
	"os"
	"path/filepath"
	"testing"
)

// The CGI back end is this test binary, copied to the paths a probe names
// (`cgi: [usr/lib/cgi-bin/app]`) and run by the server as a CGI script.
// It answers with what the server put into its environment; the probe
// turns that answer into a record of what the back end received, as the
// HTTP and FastCGI back ends do directly.
const (
	cgiMarker = "X-Realserver-Cgi"                // "1" on every answer of the CGI back end
	cgiAuth   = "X-Realserver-Http-Authorization" // HTTP_AUTHORIZATION, when it was set
)

// TestMain runs the CGI back end instead of the tests when a server starts
// this binary as a CGI script.
func TestMain(m *testing.M) {
	if os.Getenv("GATEWAY_INTERFACE") != "" {
		if err := cgi.Serve(http.HandlerFunc(cgiBackend)); err != nil {
			os.Exit(1)
		}
		return
	}
	os.Exit(m.Run())
}

func cgiBackend(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set(cgiMarker, "1")
	// The variable itself, not the request header net/http/cgi derives
	// from it: set-but-empty and unset must stay apart.
	if v, ok := os.LookupEnv("HTTP_AUTHORIZATION"); ok {
		w.Header().Set(cgiAuth, v)
	}
	w.Header().Set("Content-Type", "text/plain")
	_, _ = io.WriteString(w, "cgi back end\n")
}

// cgiReceived turns a CGI back end's answer into what it received; ok is
// false when the answer did not come from it.
func cgiReceived(h http.Header) (received, bool) {
	if h.Get(cgiMarker) != "1" {
		return received{}, false
	}
	r := received{via: "cgi", params: map[string]string{}}
	if v, ok := h[http.CanonicalHeaderKey(cgiAuth)]; ok && len(v) > 0 {
		r.params["HTTP_AUTHORIZATION"] = v[0]
	}
	return r, true
}

// installCGI copies this binary to each path, relative to dst.
func installCGI(dst string, paths []string) error {
	if len(paths) == 0 {
		return nil
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	data, err := os.ReadFile(self)
	if err != nil {
		return err
	}
	for _, p := range paths {
		out := filepath.Join(dst, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(out, data, 0o755); err != nil {
			return err
		}
	}
	return nil
}
