/* Preloaded by the hostile-environment test: creates the file named by
   $IDMAP_MARKER when a program honours LD_PRELOAD (or loads it otherwise). */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

__attribute__((constructor)) static void LeaveMarker(void) {
  const char* path = getenv("IDMAP_MARKER");
  if (path == NULL) return;
  int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
  if (fd >= 0) close(fd);
}
