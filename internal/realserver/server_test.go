package realserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// apacheModules is where Debian keeps the Apache modules.
const apacheModules = "/usr/lib/apache2/modules"

// apacheBase are loaded for every Apache fixture unless it loads them
// itself: a process model, the Require machinery and DirectoryIndex, which
// every Debian server has. A tree that loads any MPM keeps its own.
var apacheBase = []string{"mpm_prefork", "authz_core", "dir"}

var loadModule = regexp.MustCompile(`(?mi)^[ \t]*LoadModule[ \t]+(\w+)_module[ \t]`)

// loadedModules lists the modules a rendered tree loads itself.
func loadedModules(dir string) (map[string]bool, error) {
	got := map[string]bool{}
	err := walkText(dir, func(_ string, data []byte, _ fs.FileMode) error {
		for _, m := range loadModule.FindAllSubmatch(data, -1) {
			got[string(m[1])] = true
		}
		return nil
	})
	return got, err
}

// apacheModuleArgs are the -C LoadModule arguments for the base set and
// the probe's modules, minus what the tree loads; prefork says whether
// the MPM is the test's one-child prefork.
func apacheModuleArgs(dir string, extra []string) (args []string, prefork bool, err error) {
	have, err := loadedModules(dir)
	if err != nil {
		return nil, false, err
	}
	ownMPM := false
	for m := range have {
		ownMPM = ownMPM || strings.HasPrefix(m, "mpm_")
	}
	for _, m := range append(append([]string{}, apacheBase...), extra...) {
		if have[m] || ownMPM && strings.HasPrefix(m, "mpm_") {
			continue
		}
		have[m] = true
		prefork = prefork || m == "mpm_prefork"
		args = append(args, "-C", fmt.Sprintf("LoadModule %s_module %s/mod_%s.so", m, apacheModules, m))
	}
	return args, prefork, nil
}

// serverBinary finds nginx or apache2: $AUTHLINT_NGINX or
// $AUTHLINT_APACHE2 when set (another build, or a missing path to see the
// skip), else PATH, else /usr/sbin. Missing, the test is skipped, except
// under CI=true, where the real-server claims must be shown.
func serverBinary(t *testing.T, server string) string {
	t.Helper()
	name := map[string]string{"nginx": "nginx", "apache": "apache2"}[server]
	if p, ok := os.LookupEnv("AUTHLINT_" + strings.ToUpper(name)); ok {
		if isExecutable(p) {
			return p
		}
	} else if p, err := exec.LookPath(name); err == nil {
		return p
	} else if p := "/usr/sbin/" + name; isExecutable(p) {
		return p
	}
	where := "in PATH or /usr/sbin"
	if p, ok := os.LookupEnv("AUTHLINT_" + strings.ToUpper(name)); ok {
		where = "at " + p
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("no %s %s; CI must run the real-server tests (apt-get install nginx apache2)", name, where)
	}
	t.Skipf("no %s %s: skipping the real-server test", name, where)
	return ""
}

func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0
}

// portPool hands out loopback ports that were free a moment ago, never the
// same one twice in a run, so parallel fixtures do not collide with each
// other. Another process can still take one; start retries then.
var portPool = struct {
	sync.Mutex
	used map[int]bool
}{used: map[int]bool{}}

func freePort() (int, error) {
	portPool.Lock()
	defer portPool.Unlock()
	for range 20 {
		ln, err := new(net.ListenConfig).Listen(context.Background(), "tcp", "127.0.0.1:0")
		if err != nil {
			return 0, err
		}
		p := ln.Addr().(*net.TCPAddr).Port //nolint:errcheck // a tcp listener has a TCPAddr
		_ = ln.Close()
		if !portPool.used[p] {
			portPool.used[p] = true
			return p, nil
		}
	}
	return 0, errors.New("no free loopback port")
}

// server is one running nginx or apache2 with its render dir.
type server struct {
	dir    string
	ports  map[int]int // fixture port -> real port
	cmd    *exec.Cmd
	stderr bytes.Buffer
	done   chan struct{}
}

// startServer renders the tree and starts the server in the foreground on
// 127.0.0.1, waits until every port answers, and registers its stop (by
// PID) and, on failure, the dump of its error log. A port taken by another
// process between allocation and bind costs a retry with new ports.
func startServer(t *testing.T, bin, src string, p *probeFile, b *backends) *server {
	t.Helper()
	want, err := fixturePorts(src, p.Server)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 {
		t.Fatalf("%s: no listen port in the tree", src)
	}
	for attempt := 1; ; attempt++ {
		s := &server{dir: renderDir(t), ports: map[int]int{}, done: make(chan struct{})}
		for _, fp := range want {
			if s.ports[fp], err = freePort(); err != nil {
				t.Fatal(err)
			}
		}
		if err := render(src, s.dir, p, s.ports, b); err != nil {
			t.Fatal(err)
		}
		if err := s.launch(bin, p); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if t.Failed() {
				t.Logf("server stderr:\n%s\nerror log:\n%s", s.stderr.String(), s.errorLog())
			}
		})
		t.Cleanup(func() { s.stop(t) })
		err := s.waitReady()
		if err == nil {
			// Only 127.0.0.1: the rendering binds every listen there, and
			// the master's sockets prove it.
			if addrs, ok := listenAddrs(s.cmd.Process.Pid); ok {
				if len(addrs) < len(s.ports) {
					t.Fatalf("the server listens on %d sockets, want at least %d", len(addrs), len(s.ports))
				}
				if bad := loopbackOnly(addrs); len(bad) > 0 {
					t.Fatalf("the server listens beyond 127.0.0.1: %v (hex, as in /proc/net/tcp)", bad)
				}
			}
			return s
		}
		s.stop(t) // before reading its output
		if attempt < 3 && strings.Contains(s.errorLog()+s.stderr.String(), "Address already in use") {
			t.Logf("attempt %d: a port was taken meanwhile; again with new ports", attempt)
			continue
		}
		t.Fatalf("%s did not start: %v", p.Server, err)
	}
}

// renderDir makes the temp dir a tree is rendered into. Not t.TempDir:
// its path holds the test name, and unix sockets the servers create there
// (mod_cgid's, under DefaultRuntimeDir) must stay under 108 bytes. Workers
// running as an unprivileged user (when the test is root) must reach it.
func renderDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "rs") //nolint:usetesting // see above
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func (s *server) errorLog() string {
	data, err := os.ReadFile(filepath.Join(s.dir, "error.log"))
	if err != nil {
		return "(" + err.Error() + ")"
	}
	return string(data)
}

func (s *server) pidFile() string { return filepath.Join(s.dir, "server.pid") }

// launch starts the server process. nginx gets its prefix, error log and
// pid file on the command line; Apache its ServerRoot, modules, runtime
// dir, pid file and error log (-C before the config, -c after it), plus
// Debian's APACHE_* variables pointing into the render dir for configs
// that use them, without reading /etc/apache2/envvars.
func (s *server) launch(bin string, p *probeFile) error {
	conf := filepath.Join(s.dir, p.Config)
	var args []string
	env := []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C"}
	switch p.Server {
	case "nginx":
		if err := os.MkdirAll(filepath.Join(s.dir, "temp"), 0o755); err != nil {
			return err
		}
		args = []string{
			"-p", s.dir + "/", "-c", conf, "-e", filepath.Join(s.dir, "error.log"),
			"-g", fmt.Sprintf("daemon off; master_process on; worker_processes 1; pid %s;", s.pidFile()),
		}
	default:
		run := filepath.Join(s.dir, "run")
		for _, d := range []string{run, filepath.Join(s.dir, "log"), filepath.Join(s.dir, "lock")} {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
		}
		mods, prefork, err := apacheModuleArgs(s.dir, p.Modules)
		if err != nil {
			return err
		}
		args = append([]string{"-DFOREGROUND", "-d", filepath.Dir(conf), "-f", conf, "-C", "DefaultRuntimeDir " + run}, mods...)
		args = append(args, "-C", "ServerName localhost")
		if os.Geteuid() == 0 {
			args = append(args, "-C", "User www-data", "-C", "Group www-data")
		}
		args = append(args,
			"-c", "PidFile "+s.pidFile(), "-c", "ErrorLog "+filepath.Join(s.dir, "error.log"), "-c", "StartServers 1")
		if prefork {
			args = append(args, "-c", "MinSpareServers 1", "-c", "MaxSpareServers 2")
		}
		env = append(env, "APACHE_RUN_USER=www-data", "APACHE_RUN_GROUP=www-data",
			"APACHE_RUN_DIR="+run, "APACHE_PID_FILE="+s.pidFile(),
			"APACHE_LOG_DIR="+filepath.Join(s.dir, "log"), "APACHE_LOCK_DIR="+filepath.Join(s.dir, "lock"))
	}
	s.cmd = exec.Command(bin, args...) //nolint:noctx // the server binary; stopped by PID in stop, not by a context
	s.cmd.Dir = s.dir
	s.cmd.Env = env
	s.cmd.Stdout = &s.stderr
	s.cmd.Stderr = &s.stderr
	// Own process group: if the master ignores SIGTERM, its workers can
	// still be killed with it. Pdeathsig: if the test binary dies without
	// running its cleanups (a -timeout panic), the server still stops.
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := s.cmd.Start(); err != nil {
		return err
	}
	go func() {
		_ = s.cmd.Wait()
		close(s.done)
	}()
	return nil
}

// waitReady polls the server's ports until all accept a connection. It
// gives up when the process exits, or after a generous bound that only a
// hung server reaches.
func (s *server) waitReady() error {
	deadline := time.Now().Add(30 * time.Second)
	for _, port := range s.ports {
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		for {
			c, err := (&net.Dialer{Timeout: time.Second}).DialContext(context.Background(), "tcp", addr)
			if err == nil {
				_ = c.Close()
				break
			}
			select {
			case <-s.done:
				return fmt.Errorf("exited before listening on %s: %s", addr, s.cmd.ProcessState)
			case <-time.After(20 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("nothing listens on %s", addr)
			}
		}
	}
	return nil
}

// stop ends the server by its PID (the one it wrote to its pid file, which
// is the process started here) and waits for it; SIGKILL to its own process
// group if it does not exit.
func (s *server) stop(t *testing.T) {
	t.Helper()
	select {
	case <-s.done:
		return
	default:
	}
	pid := s.cmd.Process.Pid
	if data, err := os.ReadFile(s.pidFile()); err == nil {
		if n, err := strconv.Atoi(strings.TrimSpace(string(data))); err == nil && n != pid {
			t.Errorf("pid file says %d, started %d", n, pid)
		}
	}
	_ = syscall.Kill(pid, syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		t.Errorf("server %d did not stop on SIGTERM; killing its process group", pid)
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		<-s.done
	}
}
