"""FLIR automation cameras: REST client, radiometric JPEG decoder, measurements, rendering."""
