// Package executor runs functions on a pool of goroutines (ThreadPool) or on a
// pool of worker OS processes (ProcessPool) and hands back futures for their
// results.
//
// It is Python's concurrent.futures done the Go way, without the failures its
// users keep running into:
//
//   - A worker process that crashes, calls os.Exit or is killed fails only the
//     futures it was running; it is replaced and the pool goes on serving. There
//     is no "broken" pool.
//   - A task can be given a timeout (WithTimeout). On a ThreadPool its context
//     ends; on a ProcessPool a task still running after the timeout and a grace
//     period has its worker killed and replaced.
//   - Map reads its input lazily and keeps a bounded window of tasks in flight.
//   - The queue can be bounded (WithQueueSize), and submitting to a full queue
//     either blocks (backpressure) or fails with ErrQueueFull.
//
// The vocabulary follows Python's: Submit (or Call for a registered Task)
// returns a *Future; Future.Result waits for it; AddDoneCallback runs code when
// it finishes; Wait, AsCompleted and Map work over many futures; Shutdown
// stops a pool gracefully, like net/http.Server.Shutdown.
//
// A program that uses a ProcessPool must call Init as the first statement of
// main (and of TestMain in tests): in a worker process Init serves tasks and
// exits, elsewhere it returns at once; a worker that never gets to serve is
// killed after WithStartTimeout, and NewProcessPool fails with an error
// matching ErrWorkerStart. Tasks that run in worker processes are declared
// with Register at package level, so that the parent and the workers, which
// run the same binary, agree on them.
//
// A pool takes only the options it honours: NewThreadPool takes
// ThreadOptions, NewProcessPool ProcessOptions, and the queue options
// (WithQueueSize, WithNonBlocking) are both.
package executor
