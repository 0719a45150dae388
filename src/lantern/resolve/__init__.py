"""Entity resolution: who is who across every agency.

Person mentions are linked with a probabilistic model (Splink: DuckDB in
process by default, Apache Spark when ``LANTERN_LINKAGE_ENGINE=spark``),
trained without labels and then with people's judgements; vehicles and phones
by their normalised values; places by address, postcode, name and area.
People's judgements ("same" / "not the same") always win.

The public surface is small:

- ``stage.run(engine, full=...)``: the ``resolve`` stage of ``lantern analyse``;
- ``export.section(engine, name, as_of)``: people, vehicles, phones, locations;
- ``judgements``: record "same"/"not the same", read the review queue;
- ``cli.register``: ``lantern resolve same|not-same|review|why``.

Everything else (features, the Splink model, clustering, objects, storage) is
internal, one module per task.
"""
