package executor

// ProcessPoolSupported reports whether NewProcessPool can work on this
// system: nil on Linux, macOS, the BSDs and illumos, which have Unix socket
// pairs and SCM_RIGHTS; elsewhere (Windows, AIX, Plan 9, WebAssembly) an
// error matching errors.ErrUnsupported, the one NewProcessPool fails with.
// ThreadPool, futures, Wait, AsCompleted and Map work on every system.
func ProcessPoolSupported() error { return processPoolSupport() }
