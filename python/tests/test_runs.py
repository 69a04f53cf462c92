"""`nnlab.runs`: runs recorded by `nnlab.train(record=True)`, read back from the store."""

import pytest

import nnlab


def test_recorded_runs_are_listed_shown_and_deleted(tmp_path):
    store = tmp_path / "runs.sqlite"
    a = nnlab.train(epochs=5, store=store, experiment="py-test")
    b = nnlab.train(epochs=5, lr=0.1, store=store)
    assert nnlab.train(epochs=1).run_id is None  # not recorded by default
    runs = nnlab.runs(store=store)
    listed = runs.list()
    assert list(listed.id) == [b.run_id, a.run_id]  # newest first
    assert listed.final_loss[1] == a.history.train_loss.iloc[-1]
    assert list(runs.list(experiment="py-test").id) == [a.run_id]
    shown = runs.show(a.run_id)
    # The store keeps the history to the bit.
    assert list(shown["history"].train_loss) == list(a.history.train_loss)
    assert shown["outcome"] == a.outcome
    assert runs.delete([a.run_id, 999]) == 1
    assert list(runs.list().id) == [b.run_id]
    with pytest.raises(ValueError, match=f"no run with id {a.run_id}"):
        runs.show(a.run_id)
    with pytest.raises(ValueError, match="--outcome"):
        runs.list(outcome="nope")


def test_a_stored_run_predicts_as_the_run(tmp_path):
    # `nnlab.predict(ID, rows)` refits the scaler on the run's (generated) data and uses the
    # stored final parameters: the same numbers as the run's own `predict`, to the bit.
    store = tmp_path / "runs.sqlite"
    run = nnlab.train(epochs=20, lr=0.05, store=store)
    rows = [[2.0, 3.0], [4.0, -1.0]]
    assert list(nnlab.predict(run.run_id, rows, store=store)) == list(run.predict(rows))
    with pytest.raises(ValueError, match="no run with id 999"):
        nnlab.predict(999, rows, store=store)
