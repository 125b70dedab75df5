using FluentValidation;
using WeStore.Application.GroupBuys;
using WeStore.Domain.GroupBuys;
using WeStore.Functions.Infrastructure;
using WeStore.Functions.Orders;

namespace WeStore.Functions.GroupBuys;

/// <summary><c>POST /api/manage/group-buys</c>: <c>{skuId, groupPrice, teamSize, teamHours, startsAt, endsAt, perMemberLimit, stock?}</c>.</summary>
public sealed record CreateGroupBuyRequest(
    string? SkuId, long? GroupPrice, int? TeamSize, int? TeamHours, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, int? PerMemberLimit, int? Stock)
{
    public CreateGroupBuyCommand ToCommand() => new(SkuId!, GroupPrice!.Value, TeamSize!.Value, TeamHours!.Value, StartsAt!.Value, EndsAt!.Value, PerMemberLimit!.Value, Stock);
}

public sealed class CreateGroupBuyRequestValidator : AbstractValidator<CreateGroupBuyRequest>
{
    /// <summary>A group-buy runs for at most a year.</summary>
    public static readonly TimeSpan MaxRun = TimeSpan.FromDays(366);

    public CreateGroupBuyRequestValidator()
    {
        RuleFor(r => r.SkuId).Id();
        RuleFor(r => r.GroupPrice).NotNull().InclusiveBetween(1, 100_000_000).WithMessage("groupPrice is in fen, 1 to 100,000,000.");
        RuleFor(r => r.TeamSize).NotNull().InclusiveBetween(GroupBuy.MinTeamSize, GroupBuy.MaxTeamSize);
        RuleFor(r => r.TeamHours).NotNull().InclusiveBetween(GroupBuy.MinTeamHours, GroupBuy.MaxTeamHours);
        RuleFor(r => r.StartsAt).NotNull();
        RuleFor(r => r.EndsAt).NotNull();
        RuleFor(r => r.EndsAt).GreaterThan(r => r.StartsAt).WithMessage("endsAt must be after startsAt.")
            .Must((r, end) => end!.Value - r.StartsAt!.Value <= MaxRun).WithMessage("A group-buy runs for at most 366 days.")
            .When(r => r.StartsAt is not null && r.EndsAt is not null);
        RuleFor(r => r.PerMemberLimit).NotNull().InclusiveBetween(1, GroupBuy.MaxPerMemberLimit);
        RuleFor(r => r.Stock).InclusiveBetween(1, GroupBuy.MaxStock)
            .Must((r, stock) => r.TeamSize is null || stock >= r.TeamSize).WithMessage("stock must hold at least one team.")
            .When(r => r.Stock is not null);
    }
}

/// <summary><c>POST /api/group-buys/{id}/teams</c> and <c>POST /api/teams/{teamId}/join</c>: <c>{address}</c>.</summary>
public sealed record TeamSeatRequest(AddressRequest? Address);

public sealed class TeamSeatRequestValidator : AbstractValidator<TeamSeatRequest>
{
    public TeamSeatRequestValidator()
    {
        RuleFor(r => r.Address!).NotNull().SetValidator(new AddressRequestValidator());
    }
}
