"""Writers of the demo's messages in real export formats, one module per format."""
