#ifndef CRUCIBLE_CMEMORY_H
#define CRUCIBLE_CMEMORY_H

/// Fixes glibc's mmap threshold at `bytes` (no dynamic raising), so large arrays are separate
/// mappings that go back to the system when freed. Returns 1 on success, 0 where unsupported.
int crucible_fix_mmap_threshold(int bytes);

#endif
