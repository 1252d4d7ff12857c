package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// nginxConf is a private configuration: everything nginx writes (pid,
// logs, temp files) stays in the temp dir, so it runs without root and
// leaves nothing behind. It mirrors /work/shared/tools/loadratio.sh,
// with the worker count fixed at 2 to match the machine.
const nginxConf = `worker_processes 2;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log warn;
events { worker_connections 4096; }
http {
  access_log off; sendfile on; tcp_nopush on; tcp_nodelay on;
  keepalive_requests 10000000; keepalive_timeout 65;
  client_body_temp_path %[1]s/t1; proxy_temp_path %[1]s/t2; fastcgi_temp_path %[1]s/t3;
  uwsgi_temp_path %[1]s/t4; scgi_temp_path %[1]s/t5;
  types { } default_type "%[2]s";
  server { listen 127.0.0.1:%[3]d; root %[1]s/www; }
}
`

// nginx is a running private nginx; stop ends it.
type nginx struct {
	cmd  *exec.Cmd
	dir  string
	done chan error
}

// startNginx serves files (name → bytes) from dir/www on 127.0.0.1:port
// with contentType, and waits until it answers.
func startNginx(ctx context.Context, bin, dir string, port int, contentType string, files map[string][]byte) (*nginx, error) {
	www := filepath.Join(dir, "www")
	if err := os.MkdirAll(www, 0o755); err != nil {
		return nil, fmt.Errorf("nginx root: %w", err)
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(www, name), body, 0o644); err != nil {
			return nil, fmt.Errorf("nginx file: %w", err)
		}
	}
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(conf, fmt.Appendf(nil, nginxConf, dir, contentType, port), 0o644); err != nil {
		return nil, fmt.Errorf("nginx config: %w", err)
	}
	cmd := exec.Command(bin, "-e", filepath.Join(dir, "error.log"), "-p", dir, "-c", conf, "-g", "daemon off;")
	// If this process dies without cleaning up, the kernel stops nginx.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start nginx: %w", err)
	}
	n := &nginx{cmd: cmd, dir: dir, done: make(chan error, 1)}
	go func() { n.done <- cmd.Wait() }()

	url := fmt.Sprintf("http://127.0.0.1:%d/", port)
	for name := range files {
		url += name
		break
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return n, nil
			}
		}
		select {
		case err := <-n.done:
			return nil, fmt.Errorf("nginx exited (%v) before answering; the end of its error log:\n%s", err, logTail(dir))
		case <-ctx.Done():
			n.stop()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			n.stop()
			return nil, fmt.Errorf("nginx did not answer %s within 5s; the end of its error log:\n%s", url, logTail(dir))
		}
	}
}

// stop asks nginx to quit (SIGTERM: fast shutdown of master and workers)
// and kills it if it has not gone within 5 seconds.
func (n *nginx) stop() error {
	if n == nil {
		return nil
	}
	n.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-n.done:
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			return err
		}
		return nil
	case <-time.After(5 * time.Second):
		n.cmd.Process.Kill()
		<-n.done
		return errors.New("nginx ignored SIGTERM for 5s and was killed")
	}
}

// logTail is the last 2 KB of nginx's error log, enough to say why it
// failed without flooding the terminal with one line per retry.
func logTail(dir string) string {
	b, _ := os.ReadFile(filepath.Join(dir, "error.log"))
	if len(b) > 2048 {
		b = b[len(b)-2048:]
	}
	return string(b)
}
