"""The wire contract: marshmallow schemas for every request and response body.

The same schemas validate input and generate the OpenAPI document, so docs cannot drift.
"""
