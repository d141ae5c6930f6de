// Package echo is a TCP echo server built on the executor package's pools,
// and the load client that measures it.
//
// It is the classic concurrent-server lesson (a thread or a process per
// connection, accept in a loop) grown into a server you could leave running:
//
//   - Thread mode (ModeThread) submits each accepted connection to an
//     executor.ThreadPool; the task serves it to the end.
//   - Process mode (ModeProcess) passes each accepted connection's file
//     descriptor to a worker process of an executor.ProcessPool (SCM_RIGHTS,
//     executor.WithFiles), where a task registered with executor.Register
//     serves it. Connections go to the least-loaded worker; a worker that
//     dies loses only its own connections and is replaced.
//
// Both modes share one serve loop: a byte-exact echo of any size and any
// split through a bounded per-connection buffer, partial writes completed,
// a half-close from the client answered with the rest of its echo and then a
// close, an idle timeout (a read deadline reset on every read, against
// slowloris) and a write deadline (a client that writes and never reads is
// cut off rather than buffered for without end).
//
// The accept loop refuses connections past Config.MaxConns (closed at once
// and counted), and backs off on temporary accept errors such as running out
// of file descriptors instead of spinning. Shutdown reads like
// net/http.Server.Shutdown: stop accepting, let open connections finish up to
// the drain deadline, then close them.
//
// A program that uses process mode must call executor.Init first thing in
// main (and in TestMain), since its worker processes run the same binary.
//
// RunBench is the load client: many connections each doing ping-pong round
// trips of random messages, checking every byte, and reporting round trips
// per second and latency percentiles.
package echo
