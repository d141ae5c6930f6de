//go:build !unix

package echo

// rawIO says that connIO reads with net.Conn.Read and writes with
// net.Conn.Write here: the runtime's RawConn cannot park a reader without a
// buffer on this system.
const rawIO = false

// readFd and writeFd are not used where rawIO is false.
func (r *connIO) readFd(uintptr) bool  { return true }
func (r *connIO) writeFd(uintptr) bool { return true }
