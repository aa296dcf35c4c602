import graphene


class Queries(graphene.ObjectType):
    pass
