"""Load a PyTorch state_dict (zip format, torch >= 1.6) into numpy arrays without torch."""
import pickle, zipfile, collections
import numpy as np

_DTYPES = {"DoubleStorage": np.float64, "FloatStorage": np.float32, "LongStorage": np.int64,
           "IntStorage": np.int32, "HalfStorage": np.float16, "BoolStorage": np.bool_,
           "ByteStorage": np.uint8}

class _StorageType:
    def __init__(self, name): self.name = name

def _rebuild_tensor_v2(storage, offset, size, stride, requires_grad=False, hooks=None, *a):
    itemsize = storage.itemsize
    if len(size) == 0:
        return np.array(storage[offset])
    return np.lib.stride_tricks.as_strided(storage[offset:], shape=tuple(size),
                                           strides=tuple(s * itemsize for s in stride)).copy()

def _rebuild_parameter(data, requires_grad, hooks, *a):
    return data

class _Unpickler(pickle.Unpickler):
    def __init__(self, f, zf, prefix):
        super().__init__(f); self.zf = zf; self.prefix = prefix
    def find_class(self, module, name):
        if module == "collections" and name == "OrderedDict": return collections.OrderedDict
        if module == "torch._utils" and name == "_rebuild_tensor_v2": return _rebuild_tensor_v2
        if module == "torch._utils" and name == "_rebuild_parameter": return _rebuild_parameter
        if module == "torch" and name.endswith("Storage"): return _StorageType(name)
        raise pickle.UnpicklingError(f"unsupported global {module}.{name}")
    def persistent_load(self, pid):
        typename, storage_type, key, location, numel = pid
        dtype = _DTYPES[storage_type.name]
        raw = self.zf.read(f"{self.prefix}/data/{key}")
        return np.frombuffer(raw, dtype=dtype)

def load_state_dict(path):
    zf = zipfile.ZipFile(path)
    pkl = [n for n in zf.namelist() if n.endswith("data.pkl")][0]
    prefix = pkl[: -len("/data.pkl")]
    with zf.open(pkl) as f:
        return _Unpickler(f, zf, prefix).load()

if __name__ == "__main__":
    import sys
    sd = load_state_dict(sys.argv[1])
    for k, v in sd.items():
        print(k, v.dtype, v.shape, float(np.abs(v).max()))
