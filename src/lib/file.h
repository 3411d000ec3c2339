/* file.h - what writing a file durably needs beyond the file's own fsync. */
#ifndef VETS_FILE_H
#define VETS_FILE_H

/* fsyncs the directory holding path, so that a file just created, renamed or removed there
 * survives a power cut as a directory entry too. 0, or -1 with errno. */
int file_sync_parent(const char *path);

#endif
