package io.seckill.gateway.http;

import io.seckill.gateway.domain.Orders;
import io.seckill.gateway.http.Authn.Caller;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * A buyer's own order: read it, pay it, cancel it, follow it (SSE). Anyone else's is
 * order-not-found.
 */
public final class OrderRoutes implements Routes {
  private static final String PATH = "/api/orders/:orderId";

  private final Authentication authentication;
  private final Orders orders;
  private final OrderWatch watch;

  public OrderRoutes(Authentication authentication, Orders orders, OrderWatch watch) {
    this.authentication = authentication;
    this.orders = orders;
    this.watch = watch;
  }

  @Override
  public void mount(Router router) {
    router.get(PATH).handler(authentication.user()).handler(this::getOrder);
    router.post(PATH + "/payment").handler(authentication.user()).handler(this::pay);
    router.delete(PATH).handler(authentication.user()).handler(this::cancel);
    router.get(PATH + "/events").handler(authentication.userOrQueryToken()).handler(this::events);
  }

  private void getOrder(RoutingContext ctx) {
    orders
        .find(Requests.orderId(ctx), Authentication.caller(ctx).userId())
        .onSuccess(order -> Requests.json(ctx, Views.order(order)))
        .onFailure(ctx::fail);
  }

  private void pay(RoutingContext ctx) {
    long orderId = Requests.orderId(ctx);
    PaymentRequest payment = PaymentRequest.parse(ctx.body().buffer());
    orders
        .pay(orderId, Authentication.caller(ctx).userId(), payment.paymentRef())
        .onSuccess(order -> Requests.json(ctx, Views.order(order)))
        .onFailure(ctx::fail);
  }

  private void cancel(RoutingContext ctx) {
    orders
        .cancel(Requests.orderId(ctx), Authentication.caller(ctx).userId())
        .onSuccess(order -> Requests.json(ctx, Views.order(order)))
        .onFailure(ctx::fail);
  }

  /**
   * Server-Sent Events: the order's status now and at every change, until it is final. Later
   * statuses come from the gateway's one shared poll (OrderWatch), which also caps the streams a
   * user may hold.
   */
  private void events(RoutingContext ctx) {
    long orderId = Requests.orderId(ctx);
    Caller caller = Authentication.caller(ctx);
    orders
        .find(orderId, caller.userId())
        .map(
            first -> {
              OrderEventStream stream = new OrderEventStream(ctx.vertx(), ctx.response());
              stream.start(first, watch.watch(orderId, caller.userId(), stream::show));
              return stream;
            })
        .onFailure(ctx::fail);
  }
}
