import graphene
from graphql_relay import to_global_id


class Rating(graphene.ObjectType):
    average = graphene.Float(
        description="Mean stars of the visible reviews, 1 decimal; null: none."
    )
    count = graphene.Int(required=True)


class ReviewPhoto(graphene.ObjectType):
    url = graphene.String(required=True, size=graphene.Int())
    width = graphene.Int(required=True)
    height = graphene.Int(required=True)

    @staticmethod
    def resolve_url(photo, info, size=None):
        return info.context.build_absolute_uri(photo.thumbnail_url(size or 640))


class ReviewReply(graphene.ObjectType):
    text = graphene.String(required=True)
    replied_at = graphene.DateTime(required=True)


class Review(graphene.ObjectType):
    id = graphene.ID(required=True)
    rating = graphene.Int(required=True)
    text = graphene.String(required=True)
    author_name = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    photos = graphene.List(graphene.NonNull(ReviewPhoto), required=True)
    reply = graphene.Field(ReviewReply, description="The producer's answer, if any.")

    @staticmethod
    def resolve_id(review, info):
        return to_global_id("Review", review.pk)

    @staticmethod
    def resolve_photos(review, info):
        return review.photos.all()

    @staticmethod
    def resolve_reply(review, info):
        if not review.reply_text:
            return None
        return ReviewReply(text=review.reply_text, replied_at=review.replied_at)


class ReviewEdge(graphene.ObjectType):
    node = graphene.Field(Review, required=True)
    cursor = graphene.String(required=True)


class ReviewPageInfo(graphene.ObjectType):
    has_next_page = graphene.Boolean(required=True)
    end_cursor = graphene.String()


class ReviewConnection(graphene.ObjectType):
    edges = graphene.List(graphene.NonNull(ReviewEdge), required=True)
    page_info = graphene.Field(ReviewPageInfo, required=True)
