// The pool's side of one worker process (procWorker): starting it, its
// socket and output, and reaping it; the worker's own side is worker_serve.go.

package executor

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type workerState uint8

const (
	workerStarting workerState = iota // started, initializer not done
	workerLive                        // takes calls
	workerRetiring                    // finishes its calls, then exits
	workerDead                        // its socket is closed
)

// How long a worker whose socket closed may take to exit before it is
// killed, and how long its output may go on after it exited (a child of its
// own may hold the pipe).
const (
	exitGrace   = 2 * time.Second
	outputDrain = 500 * time.Millisecond
)

// procWorker is the pool's side of one worker process: its socket, its
// output pipe and the calls it is running.
type procWorker struct {
	p      *ProcessPool
	num    int
	cmd    *exec.Cmd
	conn   *net.UnixConn
	out    *frameWriter
	output *os.File      // read end of the worker's stdout and stderr
	copied chan struct{} // closed when copyOutput returns

	ready    chan struct{} // closed once it is ready or has died trying
	readyErr error         // why it never became ready

	// Guarded by p.mu.
	state         workerState
	readyDone     bool
	load          int        // calls sent and not done
	running       int        // calls it runs (as far as the pool knows)
	ahead         []procTask // calls sent that wait in it, in order
	served        int        // calls sent, ever
	calls         map[uint64]procTask
	killedBecause string
	reaped        bool
}

// startWorker starts a worker process and waits until it is ready to take
// calls or has died trying.
func (p *ProcessPool) startWorker() (*procWorker, error) {
	w, err := p.launch()
	if err != nil {
		return nil, err
	}
	return w, p.awaitStart(w)
}

// launch starts a worker process and the goroutines that serve it.
func (p *ProcessPool) launch() (*procWorker, error) {
	num := int(p.nextNum.Add(1))
	conn, child, err := socketPair()
	if err != nil {
		return nil, fmt.Errorf("executor: worker %d: %w", num, err)
	}
	defer child.Close()
	outR, outW, err := os.Pipe()
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("executor: worker %d: output pipe: %w", num, err)
	}
	defer outW.Close()
	cmd := p.command(num, child, outW)
	if err := cmd.Start(); err != nil {
		conn.Close()
		outR.Close()
		return nil, fmt.Errorf("executor: start worker %d from %s: %w", num, p.exe, err)
	}
	w := &procWorker{
		p: p, num: num, cmd: cmd, conn: conn,
		output: outR, copied: make(chan struct{}), ready: make(chan struct{}),
		calls: map[uint64]procTask{},
	}
	w.out = newFrameWriter(conn, w.filesRefused)
	p.mu.Lock()
	p.workers[w] = struct{}{}
	p.alive++
	p.procs++
	if p.killReason != "" {
		w.killLocked(p.killReason)
	} else if p.stopping {
		w.out.shutdownWrite()
	}
	p.mu.Unlock()
	go w.copyOutput()
	go w.out.loop()
	go w.run()
	return w, nil
}

// socketPair returns the pool's end of a new socket pair as a conn and the
// worker's end as a file to pass it.
func socketPair() (*net.UnixConn, *os.File, error) {
	fds, err := socketFDs()
	if err != nil {
		return nil, nil, fmt.Errorf("socket pair: %w", err)
	}
	mine := os.NewFile(uintptr(fds[0]), "executor-pool-socket")
	child := os.NewFile(uintptr(fds[1]), "executor-worker-socket")
	c, err := net.FileConn(mine) // a dup of mine, made non-blocking
	mine.Close()
	if err != nil {
		child.Close()
		return nil, nil, fmt.Errorf("socket pair: %w", err)
	}
	return c.(*net.UnixConn), child, nil
}

// command is the worker process: this executable, marked as a worker, with
// its socket as descriptor 3 and its output into the pool's pipe, in its own
// process group (see workerSysProcAttr). It exits when the pool's process
// dies, since its socket then reads EOF.
func (p *ProcessPool) command(num int, sock, output *os.File) *exec.Cmd {
	cmd := exec.Command(p.exe)
	cmd.Env = os.Environ()
	cmd.Env = append(cmd.Env,
		envWorker+"="+strconv.Itoa(num),
		envInitializer+"="+p.cfg.initializer,
		envMaxFrame+"="+strconv.Itoa(p.cfg.maxFrame),
		envInFlight+"="+strconv.Itoa(p.cfg.inFlight))
	if !strings.Contains(os.Getenv("GORACE"), "atexit_sleep_ms") {
		// A worker built with -race would otherwise linger a second at
		// each exit, which makes every Shutdown and replacement slow.
		cmd.Env = append(cmd.Env, "GORACE=atexit_sleep_ms=0 "+os.Getenv("GORACE"))
	}
	cmd.ExtraFiles = []*os.File{sock}
	cmd.Stdout, cmd.Stderr = output, output
	cmd.SysProcAttr = workerSysProcAttr()
	return cmd
}

// run reads the worker's frames until its socket closes, then reaps it.
func (w *procWorker) run() {
	fr := newFrameReader(w.conn, w.p.cfg.maxFrame+frameSlack)
	err := w.awaitReady(fr)
	if err == nil {
		w.p.activate(w)
		err = w.readResults(fr)
	}
	w.teardown(err)
}

// initError is a worker's report that its initializer failed.
type initError struct{ text string }

func (e *initError) Error() string { return e.text }

func (w *procWorker) awaitReady(fr *frameReader) error {
	typ, body, err := fr.next()
	if err != nil {
		return err
	}
	if typ != frameReady {
		return fmt.Errorf("%w: frame type %d before the ready frame", errBadFrame, typ)
	}
	kind, text, err := parseReady(body)
	if err != nil {
		return err
	}
	if kind != kindOK {
		return &initError{text: text}
	}
	return nil
}

func (w *procWorker) readResults(fr *frameReader) error {
	for {
		typ, body, err := fr.next()
		if err != nil {
			return err
		}
		if typ != frameResult {
			return fmt.Errorf("%w: unexpected frame type %d from a worker", errBadFrame, typ)
		}
		r, err := parseResult(body)
		if err != nil {
			return err
		}
		if err := w.p.complete(w, &r); err != nil {
			return err
		}
	}
}

// teardown runs when the worker's socket has closed or broken the protocol:
// it reaps the process, fails the calls it was running with how it died,
// and starts a replacement if the worker was serving.
func (w *procWorker) teardown(readErr error) {
	p := w.p
	p.mu.Lock()
	if errors.Is(readErr, errBadFrame) {
		w.killLocked("it broke the protocol: " + readErr.Error())
	}
	wasLive := w.state == workerLive
	w.state = workerDead
	p.unreadyLocked(w)
	p.requeueAheadLocked(w)
	calls := w.calls
	w.calls = nil
	for _, t := range calls {
		p.finishedLocked(w, t)
	}
	p.fillLocked()
	p.mu.Unlock()
	if errors.Is(readErr, errBadFrame) {
		p.logf("executor: worker %d broke the protocol, killed: %v", w.num, readErr)
	}
	w.out.stop()
	state := w.reap()
	w.conn.Close()
	<-w.out.done
	w.output.SetReadDeadline(time.Now().Add(outputDrain))
	<-w.copied
	w.output.Close()
	exitErr := w.exitError(state)

	p.mu.Lock()
	delete(p.workers, w)
	p.alive--
	if wasLive {
		p.replaceLocked()
	}
	p.mu.Unlock()
	for _, t := range calls {
		t.failRunning(exitErr)
	}
	if !w.readyDone {
		w.readyErr = startError(w.num, readErr, exitErr)
		close(w.ready)
	}
	p.procDone()
}

// reap waits for the worker process to exit, killing it if it lingers.
func (w *procWorker) reap() *os.ProcessState {
	p := w.p
	timer := time.AfterFunc(exitGrace, func() {
		p.mu.Lock()
		w.killLocked("it closed its socket but did not exit")
		p.mu.Unlock()
	})
	w.cmd.Wait()
	p.mu.Lock()
	w.reaped = true
	p.mu.Unlock()
	timer.Stop()
	return w.cmd.ProcessState
}

// killLocked sends the worker SIGKILL, noting why (the first reason wins).
func (w *procWorker) killLocked(reason string) {
	if w.reaped {
		return
	}
	if w.killedBecause == "" {
		w.killedBecause = reason
	}
	w.cmd.Process.Kill()
}

// exitError describes how the worker ended.
func (w *procWorker) exitError(state *os.ProcessState) *WorkerExitError {
	w.p.mu.Lock()
	reason := w.killedBecause
	w.p.mu.Unlock()
	e := &WorkerExitError{Worker: w.num, Pid: w.cmd.Process.Pid, ExitCode: -1, Reason: reason}
	if state == nil {
		return e
	}
	e.ExitCode = state.ExitCode()
	if ws, ok := state.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		e.Signal = ws.Signal()
	}
	return e
}

// startError explains why a worker never became ready.
func startError(num int, readErr error, exitErr *WorkerExitError) error {
	var ie *initError
	switch {
	case errors.As(readErr, &ie):
		return fmt.Errorf("executor: worker %d: %s", num, ie.text)
	case errors.Is(readErr, errBadFrame):
		return fmt.Errorf("executor: worker %d: %w", num, readErr)
	}
	return fmt.Errorf("%w: worker %d exited before it was ready (does main call executor.Init() first?): %w", ErrWorkerStart, num, exitErr)
}

// copyOutput copies the worker's output to the pool's stderr writer, line
// by line, each prefixed with the worker's number.
func (w *procWorker) copyOutput() {
	defer close(w.copied)
	br := bufio.NewReaderSize(w.output, 4096)
	prefix := "worker " + strconv.Itoa(w.num) + ": "
	for {
		line, err := br.ReadSlice('\n')
		if len(line) > 0 {
			w.p.writeOutput(prefix, line)
		}
		if err != nil && err != bufio.ErrBufferFull {
			return
		}
	}
}

// writeOutput writes one prefixed line (a long one in pieces, each ended
// with a newline) to the pool's stderr writer.
func (p *ProcessPool) writeOutput(prefix string, line []byte) {
	buf := make([]byte, 0, len(prefix)+len(line)+1)
	buf = append(append(buf, prefix...), line...)
	if buf[len(buf)-1] != '\n' {
		buf = append(buf, '\n')
	}
	p.outMu.Lock()
	defer p.outMu.Unlock()
	p.cfg.stderr.Write(buf)
}
