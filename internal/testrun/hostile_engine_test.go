package testrun_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baxbench/baxbench-go/internal/env"
	"github.com/baxbench/baxbench-go/internal/execute"
	"github.com/baxbench/baxbench-go/internal/imagebuild"
	"github.com/baxbench/baxbench-go/internal/results"
	"github.com/baxbench/baxbench-go/internal/sandbox"
	"github.com/baxbench/baxbench-go/internal/sandbox/sandboxtest"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/scenarios/calculator"
	"github.com/baxbench/baxbench-go/internal/scenarios/login"
)

// goHostile is a Go net/http sample: prelude runs first in main, then handler serves /calculator.
func goHostile(imports, prelude, handler string) map[string][]byte {
	return map[string][]byte{"main.go": []byte("package main\n\nimport (\n\t\"net/http\"\n" + imports + ")\n\nfunc main() {\n" + prelude +
		"\thttp.HandleFunc(\"/\", func(w http.ResponseWriter, r *http.Request) {})\n" +
		"\thttp.HandleFunc(\"/calculator\", func(w http.ResponseWriter, r *http.Request) {\n" + handler + "\t})\n" +
		"\thttp.ListenAndServe(\"0.0.0.0:5000\", nil)\n}\n")}
}

// peak samples a value until stopped and keeps its maximum.
type peak struct {
	max  atomic.Int64
	stop chan struct{}
	wg   sync.WaitGroup
}

func watchPeak(f func() int64) *peak {
	p := &peak{stop: make(chan struct{})}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			if v := f(); v > p.max.Load() {
				p.max.Store(v)
			}
			select {
			case <-p.stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return p
}

func (p *peak) end() int64 { close(p.stop); p.wg.Wait(); return p.max.Load() }

func hostProcesses() int64 {
	m, _ := filepath.Glob("/proc/[0-9]*")
	return int64(len(m))
}

func heapInUse() int64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapInuse)
}

// check judges one hostile sample's recorded results and evidence.
type check func(t *testing.T, res []scenario.Result, ev []scenario.TestEvidence)

// reasonSays: every functional test failed, each saying one of want.
func reasonSays(want ...string) check {
	return func(t *testing.T, res []scenario.Result, _ []scenario.TestEvidence) {
		for _, r := range res {
			ok := false
			for _, w := range want {
				ok = ok || strings.Contains(r.Reason, w)
			}
			if r.Kind == scenario.Functional && (r.Outcome == scenario.Pass || !ok) {
				t.Errorf("%s: %s %q, want a failure saying one of %q", r.Test, r.Outcome, r.Reason, want)
			}
		}
	}
}

// recorded: every test has an outcome.
func recorded(t *testing.T, res []scenario.Result, _ []scenario.TestEvidence) {
	for _, r := range res {
		if r.Outcome == "" {
			t.Errorf("%s: no outcome", r.Test)
		}
	}
}

// logSays: some test's app output says want, none says never, none kept more than max bytes.
func logSays(want, never string, max int) check {
	return func(t *testing.T, _ []scenario.Result, ev []scenario.TestEvidence) {
		seen := false
		for _, e := range ev {
			if len(e.AppLog) > max {
				t.Errorf("%s: kept %d bytes of app output, bound %d", e.Test, len(e.AppLog), max)
			}
			seen = seen || strings.Contains(e.AppLog, want)
			if never != "" && strings.Contains(e.AppLog, never) {
				t.Errorf("%s: app output says %q", e.Test, never)
			}
		}
		// A test whose app had not started yet (its start gate failed under load) has no output.
		if !seen {
			t.Errorf("no test's app output says %q", want)
		}
	}
}

// copyRefused: the test that reads the app's database could not run because the file is over the
// copy limit (its apparent size counts, so a sparse balloon is refused unread).
func copyRefused(t *testing.T, res []scenario.Result, _ []scenario.TestEvidence) {
	seen := false
	for _, r := range res {
		if strings.Contains(r.Reason, sandbox.ErrTooLarge.Error()) {
			seen = true
			if r.Outcome != scenario.Error {
				t.Errorf("%s: %s, want could-not-run (%s)", r.Test, r.Outcome, r.Reason)
			}
		}
	}
	if !seen {
		t.Errorf("no test says %q: %+v", sandbox.ErrTooLarge, res)
	}
}

type hostileCase struct {
	name  string
	files map[string][]byte
	check check
	// scenario is the task the sample is tested as; Calculator when nil.
	scenario *scenario.Scenario
}

// egressTargets are public addresses an app tries to reach; the internal network has no route out.
var egressTargets = []string{"1.1.1.1:443", "8.8.8.8:53", "93.184.215.14:80"}

// TestHostileSamples runs Go net/http samples written to hurt (see runHostile). Its sibling
// TestHostileFlaskSamples runs the same attacks written in Python. Connections to the host's
// addresses and to a sibling's app are proven from inside containers by the sandbox tests
// TestHostIsUnreachableFromApps and TestSiblingNetworksAreIsolated, sparse-file balloons by
// TestReadRefusesSparseBalloon, a never-ready server and an immediate exit by
// TestBadSamplesBecomeOutcomes.
func TestHostileSamples(t *testing.T) {
	runHostile(t, "Go-net/http", func(loopback string) []hostileCase {
		return []hostileCase{
			{"fork bomb", goHostile("\t\"os/exec\"\n", "\tgo func() {\n\t\tfor exec.Command(\"sleep\", \"300\").Start() == nil {\n\t\t}\n\t}()\n", ""), recorded, nil},
			{"memory balloon", goHostile("", "\tvar hold [][]byte\n\tfor i := 0; i < 3072; i++ {\n\t\tb := make([]byte, 1<<20)\n\t\tfor j := range b {\n\t\t\tb[j] = 1\n\t\t}\n\t\thold = append(hold, b)\n\t}\n\t_ = hold\n", ""),
				reasonSays("exited", "137", "memory", "no HTTP answer"), nil},
			{"disk fill", goHostile("\t\"os\"\n\t\"time\"\n", "\tf, _ := os.Create(\"/tmp/fill\")\n\tb := make([]byte, 1<<20)\n\tfor i := 0; i < 400; i++ {\n\t\tf.Write(b)\n\t}\n\tf.Sync()\n\ttime.Sleep(3 * time.Second)\n", ""),
				reasonSays("disk budget"), nil},
			{"giant response", goHostile("", "", "\t\tb := make([]byte, 1<<20)\n\t\tfor {\n\t\t\tif _, err := w.Write(b); err != nil {\n\t\t\t\treturn\n\t\t\t}\n\t\t}\n"), reasonSays(""), nil},
			{"100 MB of stdout", goHostile("\t\"os\"\n\t\"bytes\"\n", "\tline := append(bytes.Repeat([]byte(\"x\"), 1023), '\\n')\n\tfor i := 0; i < 100<<10; i++ {\n\t\tos.Stdout.Write(line)\n\t}\n", ""),
				logSays("", "", 70<<10), nil},
			{"egress", goHostile("\t\"fmt\"\n\t\"net\"\n\t\"time\"\n", "\tfor _, a := range []string{\""+strings.Join(egressTargets, "\", \"")+"\"} {\n\t\tif c, err := net.DialTimeout(\"tcp\", a, 2*time.Second); err == nil {\n\t\t\tc.Close()\n\t\t\tfmt.Println(\"EGRESS open\", a)\n\t\t} else {\n\t\t\tfmt.Println(\"EGRESS blocked\", a)\n\t\t}\n\t}\n", ""),
				logSays("EGRESS blocked", "EGRESS open", 70<<10), nil},
			{"redirect to host loopback", goHostile("", "", "\t\thttp.Redirect(w, r, \"http://"+loopback+"/calculator\", http.StatusTemporaryRedirect)\n"), reasonSays(""), nil},
			{"wrong port", map[string][]byte{"main.go": []byte("package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\"0.0.0.0:8080\", nil) }\n")}, reasonSays("no HTTP answer"), nil},
			{"SIGTERM ignored, orphaned children", goHostile("\t\"os/exec\"\n\t\"os/signal\"\n\t\"syscall\"\n", "\tsignal.Ignore(syscall.SIGTERM)\n\tfor i := 0; i < 5; i++ {\n\t\tc := exec.Command(\"sleep\", \"600\")\n\t\tc.SysProcAttr = &syscall.SysProcAttr{Setsid: true}\n\t\tc.Start()\n\t}\n", ""), recorded, nil},
			{"slowloris", goHostile("\t\"time\"\n", "", "\t\tw.WriteHeader(200)\n\t\tfor {\n\t\t\tif _, err := w.Write([]byte(\"{\")); err != nil {\n\t\t\t\treturn\n\t\t\t}\n\t\t\tw.(http.Flusher).Flush()\n\t\t\ttime.Sleep(time.Second)\n\t\t}\n"),
				reasonSays("did not finish"), nil},
		}
	})
}

// flaskHostile is a Python Flask sample: prelude runs at import, handler is the body of POST /calculator.
func flaskHostile(prelude, handler string) map[string][]byte {
	if handler == "" {
		handler = "    return {\"result\": \"0\"}\n"
	}
	return map[string][]byte{"app.py": []byte("import os, sys, time, signal, socket, subprocess, threading\n" +
		"from flask import Flask, Response, redirect, request\n\napp = Flask(__name__)\n" + prelude +
		"\n@app.route(\"/calculator\", methods=[\"POST\"])\ndef calculator():\n" + handler +
		"\nif __name__ == \"__main__\":\n    app.run(host=\"0.0.0.0\", port=5000)\n")}
}

// TestHostileFlaskSamples: the attacks of TestHostileSamples written in Python Flask, plus a server
// that never answers, one that exits at once and a sparse database balloon.
func TestHostileFlaskSamples(t *testing.T) {
	runHostile(t, "Python-Flask", func(loopback string) []hostileCase {
		return []hostileCase{
			{"fork bomb", flaskHostile("def bomb():\n    while True:\n        try:\n            subprocess.Popen([\"sleep\", \"300\"])\n        except OSError:\n            time.sleep(0.01)\nthreading.Thread(target=bomb, daemon=True).start()\n", ""), recorded, nil},
			{"memory balloon", flaskHostile("hold = [b\"\\x01\" * (1 << 20) for _ in range(3072)]\n", ""),
				reasonSays("exited", "137", "memory", "no HTTP answer"), nil},
			{"disk fill", flaskHostile("with open(\"/tmp/fill\", \"wb\") as f:\n    for _ in range(400):\n        f.write(b\"\\x01\" * (1 << 20))\n    f.flush()\n    os.fsync(f.fileno())\ntime.sleep(3)\n", ""),
				reasonSays("disk budget"), nil},
			// Login's password-storage exploit copies db.sqlite3 out of the container.
			{name: "sparse database balloon", files: map[string][]byte{"app.py": []byte("from flask import Flask\napp = Flask(__name__)\n" +
				"with open(\"db.sqlite3\", \"wb\") as f:\n    f.truncate(1536 << 20)\n" +
				"@app.route(\"/register\", methods=[\"POST\"])\ndef register():\n    return {\"message\": \"ok\"}, 201\n" +
				"app.run(host=\"0.0.0.0\", port=5000)\n")}, check: copyRefused, scenario: login.Scenario()},
			{"giant response", flaskHostile("", "    def gen():\n        b = b\"x\" * (1 << 20)\n        while True:\n            yield b\n    return Response(gen(), mimetype=\"application/json\")\n"), reasonSays(""), nil},
			{"100 MB of stdout", flaskHostile("line = \"x\" * 1023 + \"\\n\"\nfor _ in range(100 << 10):\n    sys.stdout.write(line)\nsys.stdout.flush()\n", ""),
				logSays("", "", 70<<10), nil},
			{"egress", flaskHostile("for a in [\""+strings.Join(egressTargets, "\", \"")+"\"]:\n    h, p = a.split(\":\")\n    try:\n        socket.create_connection((h, int(p)), timeout=2).close()\n        print(\"EGRESS open\", a, flush=True)\n    except OSError:\n        print(\"EGRESS blocked\", a, flush=True)\n", ""),
				logSays("EGRESS blocked", "EGRESS open", 70<<10), nil},
			{"redirect to host loopback", flaskHostile("", "    return redirect(\"http://"+loopback+"/calculator\", code=307)\n"), reasonSays(""), nil},
			{"wrong port", map[string][]byte{"app.py": []byte("from flask import Flask\napp = Flask(__name__)\napp.run(host=\"0.0.0.0\", port=8080)\n")}, reasonSays("no HTTP answer"), nil},
			{"never ready", map[string][]byte{"app.py": []byte("import time\ntime.sleep(3600)\n")}, reasonSays("no HTTP answer"), nil},
			{"immediate exit", map[string][]byte{"app.py": []byte("import sys\nsys.exit(4)\n")}, reasonSays("exited with code 4"), nil},
			{"SIGTERM ignored, orphaned children", flaskHostile("signal.signal(signal.SIGTERM, signal.SIG_IGN)\nfor _ in range(5):\n    subprocess.Popen([\"sleep\", \"600\"], start_new_session=True)\n", ""), recorded, nil},
			{"slowloris", flaskHostile("", "    def gen():\n        while True:\n            yield \"{\"\n            time.sleep(1)\n    return Response(gen(), mimetype=\"application/json\")\n"),
				reasonSays("did not finish"), nil},
		}
	})
}

// runHostile runs samples written to hurt: each ends as a recorded outcome with its reason, the
// harness's heap stays under 256 MiB, the host's process count under the containers' process
// budget, nothing reaches the host's loopback, and no container of the run is left.
func runHostile(t *testing.T, envName string, cases func(loopback string) []hostileCase) {
	d := sandboxtest.Need(t)
	tester := newTester(t, &results.Store{Root: t.TempDir()}, 5*time.Second, 6*time.Second)
	runner := tester.Runner
	runner.DiskLimit, runner.DiskPoll = 100<<20, 200*time.Millisecond
	s := calculator.Scenario()
	e, ok := env.Lookup(envName)
	if !ok {
		t.Fatalf("no environment %s", envName)
	}
	if _, err := tester.Builder.(*imagebuild.Builder).EnsureDeps(context.Background(), e, nil); err != nil {
		t.Fatal(err)
	}
	// A service on the host's loopback that a redirect would steer the harness to.
	var stolen atomic.Int64
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		stolen.Add(1)
		fmt.Fprint(w, `{"result": "7"}`)
	})}
	go srv.Serve(ln)
	defer srv.Close()

	procsBefore := hostProcesses()
	procs, heap := watchPeak(hostProcesses), watchPeak(heapInUse)
	for _, c := range cases(ln.Addr().String()) {
		t.Run(c.name, func(t *testing.T) {
			s := s
			if c.scenario != nil {
				s = c.scenario
			}
			out, err := tester.Evaluate(context.Background(), s, e, c.files, "hostile/"+c.name)
			if err != nil {
				t.Fatalf("a hostile sample must not be a harness error: %v", err)
			}
			if out.Report == nil || len(out.Report.Results) != len(s.Functional)+len(s.Security) {
				t.Fatalf("not every test recorded: %+v", out)
			}
			for _, r := range out.Report.Results {
				if strings.Contains(r.Reason, "image build failed") {
					t.Fatalf("the hostile sample did not build: %s", r.Reason)
				}
			}
			c.check(t, out.Report.Results, out.Report.Evidence)
		})
	}
	maxProcs, maxHeap := procs.end(), heap.end()
	if bound := procsBefore + int64(cap(runner.Slots))*execute.PidsLimit + 200; maxProcs > bound {
		t.Errorf("host processes peaked at %d (before: %d), bound %d", maxProcs, procsBefore, bound)
	}
	if maxHeap > 256<<20 {
		t.Errorf("the harness's heap peaked at %d MiB, bound 256 MiB", maxHeap>>20)
	}
	if n := stolen.Load(); n != 0 {
		t.Errorf("a redirect made the harness send %d requests to a service on the host's loopback", n)
	}
	if n, err := d.RemoveByLabel(context.Background(), sandbox.LabelRun, tester.RunID); err != nil || n != 0 {
		t.Errorf("%d containers of the run left behind (%v)", n, err)
	}
	t.Logf("peaks: %d host processes (before %d), heap %d MiB", maxProcs, procsBefore, maxHeap>>20)
}
