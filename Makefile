PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MODEL := models/default
TRAIN_DATA := datasets/train.jsonl
DEV_DATA := datasets/dev.jsonl
TEST_DATA := datasets/test.jsonl

.PHONY: setup model serve test bench

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(MODEL)/metrics.json: | setup
	$(PY) -m training train --data $(TRAIN_DATA) --dev $(DEV_DATA) --test $(TEST_DATA) --out $(MODEL)

model: setup
	rm -rf $(MODEL)
	$(MAKE) $(MODEL)/metrics.json

# Models trained before the ONNX export existed get their ONNX files and int8 parity check here.
$(MODEL)/model.int8.onnx: | $(MODEL)/metrics.json
	$(PY) -m training export --model $(MODEL) --dev $(DEV_DATA)

serve: setup $(MODEL)/model.int8.onnx
	$(PY) -m service serve --model $(MODEL) --host 127.0.0.1 --port 8000

test: setup
	$(PY) -m pytest -q tests

bench: setup $(MODEL)/model.int8.onnx
	$(PY) -m bench.throughput --model $(MODEL)
