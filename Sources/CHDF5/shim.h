// Swift-importable wrappers around HDF5 macros.
// Many HDF5 constants (H5T_NATIVE_DOUBLE, H5P_DEFAULT, H5F_ACC_TRUNC, ...) are macros that expand to
// `(H5open(), some_global_g)` or casts, which Swift's Clang importer cannot import. Each wrapper
// below returns the macro's value; the H5OPEN inside those macros also initialises the library.
#ifndef CRUCIBLE_CHDF5_SHIM_H
#define CRUCIBLE_CHDF5_SHIM_H

#include <hdf5.h>
#include <string.h>
#include <stdint.h>

// --- Generic constants ---------------------------------------------------------------------------
static inline hid_t crucible_h5p_default(void) { return H5P_DEFAULT; }
static inline hid_t crucible_h5s_all(void) { return H5S_ALL; }
static inline hid_t crucible_h5e_default(void) { return H5E_DEFAULT; }
static inline hsize_t crucible_h5s_unlimited(void) { return H5S_UNLIMITED; }
static inline size_t crucible_h5t_variable(void) { return H5T_VARIABLE; }

// --- File access flags -----------------------------------------------------------------------------
static inline unsigned crucible_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned crucible_h5f_acc_rdwr(void) { return H5F_ACC_RDWR; }
static inline unsigned crucible_h5f_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline unsigned crucible_h5f_acc_excl(void) { return H5F_ACC_EXCL; }

// --- Property list classes -------------------------------------------------------------------------
static inline hid_t crucible_h5p_file_create(void) { return H5P_FILE_CREATE; }
static inline hid_t crucible_h5p_file_access(void) { return H5P_FILE_ACCESS; }
static inline hid_t crucible_h5p_dataset_create(void) { return H5P_DATASET_CREATE; }
static inline hid_t crucible_h5p_dataset_access(void) { return H5P_DATASET_ACCESS; }
static inline hid_t crucible_h5p_link_create(void) { return H5P_LINK_CREATE; }

// --- Datatypes ---------------------------------------------------------------------------------------
static inline hid_t crucible_h5t_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t crucible_h5t_native_int32(void) { return H5T_NATIVE_INT32; }
static inline hid_t crucible_h5t_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t crucible_h5t_ieee_f64le(void) { return H5T_IEEE_F64LE; }
static inline hid_t crucible_h5t_std_i32le(void) { return H5T_STD_I32LE; }
static inline hid_t crucible_h5t_std_i64le(void) { return H5T_STD_I64LE; }
static inline hid_t crucible_h5t_c_s1(void) { return H5T_C_S1; }

// --- Library version bounds (H5F_LIBVER_LATEST is a macro alias) --------------------------------------
static inline H5F_libver_t crucible_h5f_libver_v18(void) { return H5F_LIBVER_V18; }
static inline H5F_libver_t crucible_h5f_libver_latest(void) { return H5F_LIBVER_LATEST; }

// --- Object identity (H5O_info_t changed between 1.10 and 1.12: address vs token) -------------------
// Writes a 16-byte identity of the object at `name` (relative to `loc`) into `identity`, its file
// number into `fileno` and its hard-link reference count into `refcount`. Returns <0 on failure.
static inline int crucible_h5o_identity(hid_t loc, const char *name, uint8_t identity[16],
                                        unsigned long *fileno, unsigned *refcount) {
    memset(identity, 0, 16);
#if H5_VERSION_GE(1, 12, 0)
    H5O_info2_t info;
    if (H5Oget_info_by_name3(loc, name, &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0) return -1;
    memcpy(identity, &info.token, sizeof(info.token) < 16 ? sizeof(info.token) : 16);
#else
    H5O_info_t info;
    if (H5Oget_info_by_name2(loc, name, &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0) return -1;
    memcpy(identity, &info.addr, sizeof(info.addr) < 16 ? sizeof(info.addr) : 16);
#endif
    *fileno = info.fileno;
    *refcount = info.rc;
    return 0;
}

#endif
