using System.Linq;
using BackendRules.Api;
using Xunit;

namespace BackendRules.Tests.Api;

/// <summary>BR0012's inflector on a list of API nouns: singular → plural, plurals and uncountables unchanged, case kept.</summary>
public sealed class InflectorTests
{
    // One "singular plural" pair a line: nouns that name API resources, irregulars, -y/-ies, -s/-x/-ch/-sh/-z/-es,
    // -f/-ves, -is/-es, -o/-oes, Latin and Greek plurals, compound kebab/camel/snake/Pascal segments, and words that
    // stay as they are (plurals, uncountables).
    private const string Nouns = """
        user users
        order orders
        product products
        customer customers
        invoice invoices
        payment payments
        account accounts
        item items
        category categories
        address addresses
        status statuses
        person people
        child children
        analysis analyses
        index indexes
        company companies
        country countries
        city cities
        policy policies
        entry entries
        story stories
        reply replies
        key keys
        day days
        survey surveys
        journey journeys
        holiday holidays
        boy boys
        tax taxes
        box boxes
        fax faxes
        inbox inboxes
        match matches
        batch batches
        branch branches
        search searches
        watch watches
        church churches
        wish wishes
        dish dishes
        hash hashes
        push pushes
        bus buses
        class classes
        process processes
        business businesses
        access access
        alias aliases
        canvas canvases
        lens lenses
        campus campuses
        virus viruses
        bonus bonuses
        census censuses
        quiz quizzes
        leaf leaves
        life lives
        knife knives
        wife wives
        half halves
        shelf shelves
        wolf wolves
        thief thieves
        roof roofs
        chief chiefs
        belief beliefs
        proof proofs
        chef chefs
        cliff cliffs
        safe safes
        giraffe giraffes
        cafe cafes
        hero heroes
        potato potatoes
        tomato tomatoes
        echo echoes
        photo photos
        video videos
        radio radios
        logo logos
        repo repos
        memo memos
        demo demos
        studio studios
        portfolio portfolios
        todo todos
        zoo zoos
        criterion criteria
        phenomenon phenomena
        matrix matrices
        vertex vertices
        appendix appendices
        basis bases
        crisis crises
        thesis theses
        diagnosis diagnoses
        synopsis synopses
        axis axes
        man men
        woman women
        mouse mice
        goose geese
        foot feet
        tooth teeth
        cactus cacti
        radius radii
        curriculum curricula
        stomach stomachs
        epoch epochs
        monarch monarchs
        book books
        author authors
        review reviews
        comment comments
        post posts
        article articles
        tag tags
        blog blogs
        page pages
        file files
        folder folders
        document documents
        image images
        attachment attachments
        message messages
        notification notifications
        event events
        ticket tickets
        task tasks
        project projects
        team teams
        member members
        role roles
        permission permissions
        group groups
        organization organizations
        tenant tenants
        subscription subscriptions
        plan plans
        price prices
        coupon coupons
        discount discounts
        cart carts
        wishlist wishlists
        shipment shipments
        delivery deliveries
        warehouse warehouses
        supplier suppliers
        vendor vendors
        store stores
        shop shops
        brand brands
        variant variants
        option options
        setting settings
        device devices
        session sessions
        token tokens
        credential credentials
        webhook webhooks
        job jobs
        schedule schedules
        report reports
        metric metrics
        log logs
        alert alerts
        incident incidents
        server servers
        cluster clusters
        node nodes
        pod pods
        service services
        endpoint endpoints
        route routes
        region regions
        zone zones
        bucket buckets
        queue queues
        topic topics
        channel channels
        room rooms
        booking bookings
        reservation reservations
        flight flights
        hotel hotels
        trip trips
        vehicle vehicles
        driver drivers
        ride rides
        course courses
        lesson lessons
        student students
        teacher teachers
        grade grades
        exam exams
        question questions
        answer answers
        poll polls
        vote votes
        playlist playlists
        song songs
        album albums
        artist artists
        movie movies
        series series
        episode episodes
        season seasons
        library libraries
        collection collections
        favorite favorites
        follower followers
        friend friends
        contact contacts
        lead leads
        deal deals
        opportunity opportunities
        quote quotes
        contract contracts
        employee employees
        department departments
        salary salaries
        timesheet timesheets
        expense expenses
        budget budgets
        transaction transactions
        transfer transfers
        wallet wallets
        balance balances
        payout payouts
        refund refunds
        charge charges
        dispute disputes
        currency currencies
        rate rates
        property properties
        listing listings
        agency agencies
        inquiry inquiries
        query queries
        activity activities
        facility facilities
        capability capabilities
        entity entities
        identity identities
        dependency dependencies
        strategy strategies
        history history
        gallery galleries
        battery batteries
        boundary boundaries
        summary summaries
        territory territories
        authority authorities
        toy toys
        guy guys
        attorney attorneys
        monkey monkeys
        tray trays
        api-key api-keys
        order-item order-items
        OrderItem OrderItems
        lineItem lineItems
        shipping-address shipping-addresses
        USER USERS
        User Users
        user_group user_groups
        payment-method payment-methods
        PaymentMethod PaymentMethods
        data data
        metadata metadata
        news news
        information information
        equipment equipment
        feedback feedback
        software software
        sheep sheep
        fish fish
        users users
        people people
        children children
        categories categories
        addresses addresses
        statuses statuses
        analyses analyses
        indices indices
        apis apis
        taxis taxis
        menus menus
        menu menus
        guru gurus
        emoji emojis
        api apis
        uri uris
        bikini bikinis
        wiki wikis
        ski skis
        kpi kpis
        genre genres
        language languages
        culture cultures
        locale locales
        plugin plugins
        theme themes
        template templates
        widget widgets
        layout layouts
        component components
        module modules
        package packages
        release releases
        version versions
        build builds
        deployment deployments
        environment environments
        variable variables
        secret secrets
        certificate certificates
        domain domains
        host hosts
        proxy proxies
        gateway gateways
        rule rules
        filter filters
        sort sorts
        view views
        dashboard dashboards
        chart charts
        board boards
        column columns
        card cards
        list lists
        note notes
        reminder reminders
        calendar calendars
        meeting meetings
        invitation invitations
        recording recordings
        transcript transcripts
        stream streams
        clip clips
        thumbnail thumbnails
        avatar avatars
        badge badges
        achievement achievements
        level levels
        quest quests
        reward rewards
        point points
        prefix prefixes
        suffix suffixes
        patch patches
        sketch sketches
        approach approaches
        coach coaches
        speech speeches
        crash crashes
        flash flashes
        brush brushes
        duplex duplexes
        complex complexes
        reflex reflexes
        buzz buzzes
        waltz waltzes
        gas gases
        atlas atlases
        bias biases
        iris irises
        octopus octopuses
        corpus corpuses
        focus focuses
        nexus nexuses
        walrus walruses
        circus circuses
        person-role person-roles
        child-account child-accounts
        company-policy company-policies
        """;

    [Fact]
    public void Every_noun_of_the_list_gets_its_plural()
    {
        var pairs = Nouns.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Select(l => l.Split(' ')).ToList();
        Assert.True(pairs.Count >= 300, $"only {pairs.Count} nouns");
        var wrong = pairs
            .Select(p => (Singular: p[0], Expected: p[1], Actual: Inflector.PluralizeSegment(p[0]) ?? p[0]))
            .Where(p => p.Actual != p.Expected)
            .Select(p => $"{p.Singular} -> {p.Actual} (expected {p.Expected})")
            .ToList();
        Assert.Empty(wrong);
    }

    [Fact]
    public void Plurals_are_recognised_and_singulars_are_not()
    {
        var pairs = Nouns.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Select(l => l.Split(' ')).ToList();
        foreach (var pair in pairs)
        {
            var plural = pair[1].Split('-', '_').Last().ToLowerInvariant();
            if (char.IsUpper(pair[1][pair[1].Length - 1]) || pair[1].Any(char.IsUpper))
            {
                continue;
            }

            Assert.True(Inflector.IsPlural(plural) || Inflector.Uncountable.Contains(plural) || Inflector.Pluralize(plural) == plural, plural);
        }

        Assert.False(Inflector.IsPlural("status"));
        Assert.False(Inflector.IsPlural("address"));
        Assert.False(Inflector.IsPlural("analysis"));
        Assert.False(Inflector.IsPlural("alias"));
        Assert.False(Inflector.IsPlural("user"));
        Assert.True(Inflector.IsPlural("people"));
        Assert.True(Inflector.IsPlural("indices"));
        Assert.True(Inflector.IsPlural("apis"));
    }

    [Theory]
    [InlineData("123")]
    [InlineData("v1")]
    [InlineData("x")]
    [InlineData("")]
    public void Non_words_have_no_plural(string segment) => Assert.Null(Inflector.PluralizeSegment(segment));
}
