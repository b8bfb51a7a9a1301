package realserver

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// received is one request as a back end saw it: the HTTP headers for the
// HTTP back end, the params or CGI variables for the FastCGI and CGI ones.
type received struct {
	via    string // "http", "fastcgi" or "cgi"
	header http.Header
	params map[string]string
}

// authorization is the client credential that reached the back end: the
// Authorization header, or the HTTP_AUTHORIZATION param. An empty value
// and no value at all both mean the back end cannot authenticate anyone.
func (r received) authorization() string {
	if r.via != "http" {
		return r.params["HTTP_AUTHORIZATION"]
	}
	return strings.Join(r.header.Values("Authorization"), ", ")
}

// recorder collects what the back ends of one fixture received. Probes of
// a tree run one after another, so take() after each probe returns exactly
// what that probe caused.
type recorder struct {
	mu  sync.Mutex
	got []received
}

func (rc *recorder) add(r received) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.got = append(rc.got, r)
}

func (rc *recorder) take() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	out := rc.got
	rc.got = nil
	return out
}

// backends are the two upstreams a fixture may name: 127.0.0.1:9000 (HTTP)
// and 127.0.0.1:9001 (FastCGI), both on loopback ports of their own.
type backends struct {
	rec      recorder
	httpAddr string
	fcgiAddr string
	fcgiUnix string // the FastCGI back end on a unix socket (php-fpm style)
}

func startBackends(t *testing.T) *backends {
	t.Helper()
	b := &backends{}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.rec.add(received{via: "http", header: r.Header.Clone()})
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, "http back end\n")
	}))
	t.Cleanup(hs.Close)
	b.httpAddr = hs.Listener.Addr().String()

	ln, err := new(net.ListenConfig).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b.fcgiAddr = ln.Addr().String()
	// A unix socket path must stay under 108 bytes, which t.TempDir's
	// test-named paths do not; the server's user must reach and connect.
	sockDir, err := os.MkdirTemp("", "rs") //nolint:usetesting // see above
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(sockDir) })
	b.fcgiUnix = filepath.Join(sockDir, "fcgi.sock")
	uln, err := new(net.ListenConfig).Listen(t.Context(), "unix", b.fcgiUnix)
	if err != nil {
		t.Fatal(err)
	}
	for path, mode := range map[string]os.FileMode{sockDir: 0o755, b.fcgiUnix: 0o777} {
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	wg.Go(func() { serveFastCGI(ln, &b.rec) })
	wg.Go(func() { serveFastCGI(uln, &b.rec) })
	t.Cleanup(func() { _ = ln.Close(); _ = uln.Close(); wg.Wait() })
	return b
}

// A FastCGI responder small enough to read in one go. net/http/fcgi is not
// used because it refuses requests that lack REQUEST_METHOD or
// SERVER_PROTOCOL before any handler runs, and the fixtures send only the
// params under test (good-pass-through sends HTTP_AUTHORIZATION alone):
// the point is to record exactly the params nginx sent.
const (
	fcgiBeginRequest = 1
	fcgiEndRequest   = 3
	fcgiParams       = 4
	fcgiStdin        = 5
	fcgiStdout       = 6
	fcgiKeepConn     = 1
)

func serveFastCGI(ln net.Listener, rec *recorder) {
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		wg.Go(func() {
			defer c.Close()
			_ = fastCGIConn(bufio.NewReader(c), c, rec)
		})
	}
}

type fcgiRecord struct {
	typ     byte
	id      uint16
	content []byte
}

func readRecord(r io.Reader) (fcgiRecord, error) {
	var h [8]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return fcgiRecord{}, err
	}
	n := binary.BigEndian.Uint16(h[4:6])
	body := make([]byte, int(n)+int(h[6])) // content then padding
	if _, err := io.ReadFull(r, body); err != nil {
		return fcgiRecord{}, err
	}
	return fcgiRecord{typ: h[1], id: binary.BigEndian.Uint16(h[2:4]), content: body[:n]}, nil
}

func writeRecord(w io.Writer, typ byte, id uint16, content []byte) error {
	h := [8]byte{1, typ}
	binary.BigEndian.PutUint16(h[2:4], id)
	binary.BigEndian.PutUint16(h[4:6], uint16(len(content)))
	if _, err := w.Write(h[:]); err != nil {
		return err
	}
	_, err := w.Write(content)
	return err
}

// fastCGIConn answers the requests on one connection: it records the
// params of each and replies 200 once the (empty) stdin stream ends.
func fastCGIConn(r io.Reader, w io.Writer, rec *recorder) error {
	keep := map[uint16]bool{}
	params := map[uint16][]byte{}
	for {
		rc, err := readRecord(r)
		if err != nil {
			return err
		}
		switch rc.typ {
		case fcgiBeginRequest:
			keep[rc.id] = len(rc.content) > 2 && rc.content[2]&fcgiKeepConn != 0
		case fcgiParams:
			params[rc.id] = append(params[rc.id], rc.content...)
		case fcgiStdin:
			if len(rc.content) > 0 {
				continue
			}
			p, err := parsePairs(params[rc.id])
			if err != nil {
				return err
			}
			rec.add(received{via: "fastcgi", params: p})
			out := []byte("Status: 200 OK\r\nContent-Type: text/plain\r\n\r\nfastcgi back end\n")
			for _, step := range []struct {
				typ byte
				b   []byte
			}{{fcgiStdout, out}, {fcgiStdout, nil}, {fcgiEndRequest, make([]byte, 8)}} {
				if err := writeRecord(w, step.typ, rc.id, step.b); err != nil {
					return err
				}
			}
			if !keep[rc.id] {
				return nil
			}
			delete(params, rc.id)
		default:
			// management records and aborts: nothing to record
		}
	}
}

var errShortPair = errors.New("fastcgi: truncated name-value pair")

// parsePairs decodes FastCGI name-value pairs: each length is one byte, or
// four with the high bit set.
func parsePairs(b []byte) (map[string]string, error) {
	out := map[string]string{}
	length := func() (int, bool) {
		if len(b) == 0 {
			return 0, false
		}
		if b[0]&0x80 == 0 {
			n := int(b[0])
			b = b[1:]
			return n, true
		}
		if len(b) < 4 {
			return 0, false
		}
		n := int(binary.BigEndian.Uint32(b[:4]) & 0x7fffffff)
		b = b[4:]
		return n, true
	}
	for len(b) > 0 {
		nl, ok1 := length()
		vl, ok2 := length()
		if !ok1 || !ok2 || nl+vl > len(b) || nl < 0 || vl < 0 {
			return nil, errShortPair
		}
		out[string(b[:nl])] = string(b[nl : nl+vl])
		b = b[nl+vl:]
	}
	return out, nil
}
