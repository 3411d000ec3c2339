/* file.c - durable directory entries. */
#include "file.h"

#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

int file_sync_parent(const char *path)
{
	char copy[PATH_MAX];
	size_t n = strlen(path);
	if (n >= sizeof(copy))
		return -1;
	memcpy(copy, path, n + 1);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}
