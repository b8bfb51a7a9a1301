package realserver

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// ProbeFile is the name of the probe list in a fixture tree.
const ProbeFile = "probe.yaml"

// probeFile is a fixture's probe.yaml: which server runs the tree and what
// it must answer.
type probeFile struct {
	// Server is "nginx" or "apache".
	Server string `yaml:"server"`
	// Config is the main config file, relative to the tree. Default:
	// nginx.conf for nginx, etc/apache2/apache2.conf for apache.
	Config string `yaml:"config"`
	// Modules are Apache modules to load from /usr/lib/apache2/modules, by
	// short name (auth_basic for mod_auth_basic.so), on top of the base set.
	Modules []string `yaml:"modules"`
	// CGI are paths in the tree (slash-separated) where the test installs
	// its CGI back end, e.g. usr/lib/cgi-bin/app for a ScriptAlias.
	CGI []string `yaml:"cgi"`
	// Upstreams maps further upstream addresses of the tree to a test
	// back end, "http" or "fastcgi": {"127.0.0.1:9": http} for a fixture
	// that names the discard port, {"/run/php/php8.2-fpm.sock": fastcgi}
	// for php-fpm's unix socket.
	Upstreams map[string]string `yaml:"upstreams"`
	Requests  []request         `yaml:"requests"`
}

// request is one probe: what is sent and what must come back.
type request struct {
	Method  string            `yaml:"method"`
	Path    string            `yaml:"path"`
	Port    int               `yaml:"port"` // the port as written in the fixture; default: its first
	Headers map[string]string `yaml:"headers"`
	Auth    string            `yaml:"auth"` // "user:password", sent as Basic credentials
	// Status is the status the server must answer.
	Status int `yaml:"status"`
	// Response lists response headers and their exact value; "" means
	// the header must be absent.
	Response map[string]string `yaml:"response"`
	// Body is text the response body must contain.
	Body string `yaml:"body"`
	// Backend, when set, says what the back end received.
	Backend *backendWant `yaml:"backend"`
	// Why is the claim this probe shows, printed when it fails.
	Why string `yaml:"why"`
}

// backendWant is what one request must (not) have delivered upstream.
type backendWant struct {
	// Reached: the request got to a back end (default true).
	Reached *bool `yaml:"reached"`
	// Via is "http", "fastcgi" or "cgi" when it matters which one got it.
	Via string `yaml:"via"`
	// Authorization is the credential the back end received: the
	// Authorization header, or the HTTP_AUTHORIZATION param or CGI
	// variable; "" = none.
	Authorization *string `yaml:"authorization"`
}

func (r request) String() string {
	s := fmt.Sprintf("%s %s", r.Method, r.Path)
	if r.Port != 0 {
		s += fmt.Sprintf(" (port %d)", r.Port)
	}
	if r.Auth != "" {
		s += " as " + r.Auth
	}
	return s
}

// loadProbe reads and checks a probe file strictly: unknown keys are errors,
// so a typo cannot turn an expectation into nothing.
func loadProbe(path string) (*probeFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var p probeFile
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	switch p.Server {
	case "nginx":
		if p.Config == "" {
			p.Config = "nginx.conf"
		}
		if len(p.Modules) > 0 {
			return nil, fmt.Errorf("%s: modules are for apache", path)
		}
	case "apache":
		if p.Config == "" {
			p.Config = filepath.Join("etc", "apache2", "apache2.conf")
		}
	default:
		return nil, fmt.Errorf("%s: server must be nginx or apache, not %q", path, p.Server)
	}
	for addr, kind := range p.Upstreams {
		if kind != "http" && kind != "fastcgi" || kind == "http" && strings.HasPrefix(addr, "/") {
			return nil, fmt.Errorf("%s: upstream %s: %q is not a back end (http for host:port, fastcgi for either)", path, addr, kind)
		}
	}
	if len(p.Requests) == 0 {
		return nil, fmt.Errorf("%s: no requests", path)
	}
	for i, r := range p.Requests {
		if r.Method == "" || r.Path == "" || r.Status == 0 {
			return nil, fmt.Errorf("%s: request %d needs method, path and status", path, i+1)
		}
		if b := r.Backend; b != nil && b.Reached != nil && !*b.Reached && (b.Via != "" || b.Authorization != nil) {
			return nil, fmt.Errorf("%s: request %d: a back end that is not reached receives nothing", path, i+1)
		}
	}
	return &p, nil
}
