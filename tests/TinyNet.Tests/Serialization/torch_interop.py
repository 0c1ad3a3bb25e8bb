"""PyTorch's side of the interop tests: safetensors files and torch.nn.Sequential.

Safetensors is read and written here with json and struct alone (an 8-byte little-endian
header length, a JSON header, the tensors' bytes), so nothing beyond torch is needed.

  python3 torch_interop.py load  MODEL INPUTS ROWS OUTPUTS
      Loads MODEL (written by TinyNet) into the reference Sequential with
      load_state_dict(strict=True) and writes its outputs for INPUTS.
  python3 torch_interop.py save  MODEL INPUTS ROWS OUTPUTS
      Writes a seeded reference Sequential's state dict to MODEL, and its outputs for INPUTS.

INPUTS and OUTPUTS are raw little-endian float32, row-major; ROWS is the sample count.
"""
import json
import struct
import sys

import torch


def reference_model():
    return torch.nn.Sequential(
        torch.nn.Linear(4, 16),
        torch.nn.ReLU(),
        torch.nn.Linear(16, 8),
        torch.nn.GELU(approximate="tanh"),
        torch.nn.Sequential(torch.nn.Linear(8, 8), torch.nn.Tanh()),
        torch.nn.Linear(8, 3, bias=False),
    )


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    body = data[8 + length :]
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        assert entry["dtype"] == "F32", entry
        begin, end = entry["data_offsets"]
        values = torch.frombuffer(bytearray(body[begin:end]), dtype=torch.float32)
        tensors[name] = values.reshape(entry["shape"]).clone()
    return tensors


def write_safetensors(path, tensors):
    header, chunks, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, tensor in tensors.items():
        raw = tensor.detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    encoded = json.dumps(header).encode()
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)) + encoded + b"".join(chunks))


def run(model, inputs_path, rows, outputs_path):
    with open(inputs_path, "rb") as f:
        inputs = torch.frombuffer(bytearray(f.read()), dtype=torch.float32).reshape(rows, -1)
    model.eval()
    with torch.no_grad():
        outputs = model(inputs)
    with open(outputs_path, "wb") as f:
        f.write(outputs.contiguous().numpy().astype("<f4").tobytes())


def main():
    mode, model_path, inputs_path, rows, outputs_path = sys.argv[1:6]
    model = reference_model()
    if mode == "load":
        model.load_state_dict(read_safetensors(model_path), strict=True)
    else:
        torch.manual_seed(7)
        model = reference_model()
        write_safetensors(model_path, model.state_dict())
    run(model, inputs_path, int(rows), outputs_path)


if __name__ == "__main__":
    main()
