"""The shared base of resources imported by ARN: the id and the instance are cut from the ARN."""

from __future__ import annotations

from typing import ClassVar

from aws_cdk import Resource
from constructs import Construct

from ._arn import environment_arn, instance_arn_of, resource_id_of


class ImportedConnectResource(Resource):
    """A Connect resource known by its ARN; subclasses name their kind and expose the attributes."""

    #: The kind of resource, as used in messages and to pick the ARN's resource segment.
    KIND: ClassVar[str]
    #: The property name the ARN was given as, for messages.
    ARN_PROPERTY: ClassVar[str]

    def __init__(self, scope: Construct, id: str, arn: str) -> None:
        super().__init__(scope, id, environment_from_arn=environment_arn(arn))
        self._arn = arn
        self._instance_arn = instance_arn_of(self, self.ARN_PROPERTY, arn, self.KIND)

    @property
    def _resource_id(self) -> str:
        """The id cut from the ARN: parsed when concrete, an ``Fn::Select`` built on use when a token."""
        return resource_id_of(self, self.ARN_PROPERTY, self._arn, self.KIND)

    @property
    def instance_arn(self) -> str:
        """The ARN of the instance the resource belongs to."""
        return self._instance_arn
